with key_emails as (
    select * from {{ ref('int_identity__key_emails') }}
),

final as (
    select
        {{ dbt.hash("source || ':' || key_type || ':' || key_value") }} as identity_id,
        lead_id,
        source,
        key_type,
        key_value,
        email,
        linked_email_count,
        first_seen_at,
        last_seen_at
    from key_emails
)

select * from final
