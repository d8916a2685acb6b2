{#- The social channel's delivery manifest, from each `<resource>_deliveries` table. -#}
with deliveries as (
    {{ delivery_rows('raw_social', 'social', ['forms', 'responses', 'reactions', 'comments']) }}
),

final as (
    select * from deliveries
)

select * from final
