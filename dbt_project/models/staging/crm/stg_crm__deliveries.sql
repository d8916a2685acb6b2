{#- The crm channel's delivery manifest, from each `<resource>_deliveries` table. -#}
with deliveries as (
    {{ delivery_rows('raw_crm', 'crm', ['leads', 'opportunities', 'tasks']) }}
),

final as (
    select * from deliveries
)

select * from final
