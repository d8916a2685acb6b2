with support_requesters as (
    select * from {{ ref('int_support__requesters') }}
),

-- a requester known by name only is still a person
final as (
    {{ person_record_links(
        'support_requesters', 'support', 'zendesk_user_id', 'user_id', 'email', 'first_ticket_at'
    ) }}
)

select * from final
