{#- The email channel's delivery manifest, from each `<resource>_deliveries` table. -#}
with deliveries as (
    {{ delivery_rows('raw_email', 'email', ['events']) }}
),

final as (
    select * from deliveries
)

select * from final
