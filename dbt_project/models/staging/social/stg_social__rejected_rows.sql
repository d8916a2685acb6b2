{#- Every rejected row of the social channel, from each `<resource>_rejected` table. -#}
with rejected as (
    {{ rejected_rows('raw_social', 'social', ['forms', 'responses', 'reactions', 'comments']) }}
),

final as (
    select * from rejected
)

select * from final
