{#- Every rejected row of the email channel, from each `<resource>_rejected` table. -#}
with rejected as (
    {{ rejected_rows('raw_email', 'email', ['events']) }}
),

final as (
    select * from rejected
)

select * from final
