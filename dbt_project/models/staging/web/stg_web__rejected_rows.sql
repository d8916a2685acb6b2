{#- Every rejected row of the web channel, from each `<resource>_rejected` table. -#}
with rejected as (
    {{ rejected_rows('raw_web', 'web', ['events']) }}
),

final as (
    select * from rejected
)

select * from final
