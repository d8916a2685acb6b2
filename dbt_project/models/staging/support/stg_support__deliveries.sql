{#- The support channel's delivery manifest, from each `<resource>_deliveries` table. -#}
with deliveries as (
    {{ delivery_rows('raw_support', 'support', ['tickets']) }}
),

final as (
    select * from deliveries
)

select * from final
