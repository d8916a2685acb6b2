with email_events as (
    select * from {{ ref('stg_email__events') }}
    where email is not null
),

-- each recipient address is a person from the first event sent to it
final as (
    select
        'email' as source,
        'email' as key_type,
        email as key_value,
        'email' as linked_key_type,
        email as linked_key_value,
        'recipient' as link_kind,
        min(occurred_at) as linked_at
    from email_events
    group by email
)

select * from final
