{#- Every rejected row of the booth channel, from each `<resource>_rejected` table. -#}
with rejected as (
    {{ rejected_rows('raw_booth', 'booth', ['scans']) }}
),

final as (
    select * from rejected
)

select * from final
