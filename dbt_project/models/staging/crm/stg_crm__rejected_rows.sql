{#- Every rejected row of the crm channel, from each `<resource>_rejected` table. -#}
with rejected as (
    {{ rejected_rows('raw_crm', 'crm', ['leads', 'opportunities', 'tasks']) }}
),

final as (
    select * from rejected
)

select * from final
