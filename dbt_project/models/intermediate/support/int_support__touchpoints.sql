with support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

final as (
    select
        'support' as source,
        'support' as channel,
        'support_ticket' as activity,
        created_at as occurred_at,
        source_record_id,
        load_id,
        'zendesk_user_id' as identity_key_type,
        requester_id as identity_key_value,
        tags as detail
    from support_tickets
)

select * from final
