{#- The booth channel's delivery manifest, from each `<resource>_deliveries` table. -#}
with deliveries as (
    {{ delivery_rows('raw_booth', 'booth', ['scans']) }}
),

final as (
    select * from deliveries
)

select * from final
