{#- Every rejected row of the support channel, from each `<resource>_rejected` table. -#}
with rejected as (
    {{ rejected_rows('raw_support', 'support', ['tickets']) }}
),

final as (
    select * from rejected
)

select * from final
