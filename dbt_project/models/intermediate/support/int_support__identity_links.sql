with support_requesters as (
    select * from {{ ref('int_support__requesters') }}
),

-- a requester known by name only is still a person
requester_links as (
    {{ person_record_links(
        'support_requesters', 'zendesk_user_id', 'user_id', 'email', 'first_ticket_at'
    ) }}
),

final as (
    select
        'support' as source,
        key_type,
        key_value,
        linked_key_type,
        linked_key_value,
        'profile' as link_kind,
        linked_at
    from requester_links
)

select * from final
