{#- The web channel's delivery manifest, from each `<resource>_deliveries` table. -#}
with deliveries as (
    {{ delivery_rows('raw_web', 'web', ['events']) }}
),

final as (
    select * from deliveries
)

select * from final
