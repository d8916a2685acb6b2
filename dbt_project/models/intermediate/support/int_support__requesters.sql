with support_users as (
    select * from {{ ref('stg_support__users') }}
    where not is_staff
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

-- users only count once they requested a ticket known at the as-of instant (staff never)
final as (
    select
        support_users.user_id,
        support_users.email,
        min(support_tickets.created_at) as first_ticket_at
    from support_users
    inner join support_tickets
        on support_users.user_id = support_tickets.requester_id
    group by support_users.user_id, support_users.email
)

select * from final
