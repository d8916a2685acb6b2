with links as (
    select * from {{ ref('int_identity__links') }}
),

blocked_values as (
    select * from {{ ref('stg_config__identity_blocked_values') }}
),

identity_settings as (
    select * from {{ ref('stg_config__identity_settings') }}
),

support_users as (
    select * from {{ ref('stg_support__users') }}
),

-- staff (Zendesk agents and admins) never become leads, whatever source names them
staff_emails as (
    select distinct email
    from support_users
    where is_staff
        and email is not null
),

-- links are undirected: each key sees every key it was tied to
directed_links as (
    select key_type, key_value, linked_key_type, linked_key_value from links
    union all
    select linked_key_type, linked_key_value, key_type, key_value from links
),

keys as (
    select distinct key_type, key_value
    from directed_links
),

-- the people a key would join: the distinct emails it is directly tied to (itself included)
key_people as (
    select key_type, key_value, linked_key_value as person_email
    from directed_links
    where linked_key_type = 'email'

    union all

    select key_type, key_value, key_value
    from keys
    where key_type = 'email'
),

linked_people as (
    select
        key_type,
        key_value,
        count(distinct person_email) as linked_people
    from key_people
    group by key_type, key_value
),

-- what a key is compared with: its value (placeholders, the user's list) and, for an email,
-- its local part; one equi-join on both (an `or` of the two comparisons would be a
-- nested-loop join over every key and blocked value)
key_candidates as (
    select key_type, key_value, lower(trim(key_value)) as candidate, 'value' as compared_on
    from keys

    union all

    select key_type, key_value, split_part(key_value, '@', 1), 'email_local_part'
    from keys
    where key_type = 'email'
),

blocked_candidates as (
    select
        block_kind,
        blocked_value,
        case
            when block_kind in ('placeholder', 'user_list') then 'value'
            when block_kind = 'email_local_part' then 'email_local_part'
        end as compared_on
    from blocked_values
),

key_blocks as (
    select
        key_candidates.key_type,
        key_candidates.key_value,
        blocked_candidates.block_kind
    from key_candidates
    inner join blocked_candidates
        on key_candidates.candidate = blocked_candidates.blocked_value
        and key_candidates.compared_on = blocked_candidates.compared_on
),

blocked as (
    select
        keys.key_type,
        keys.key_value,
        min(
            case
                when staff_emails.email is not null then 'staff'
                when key_blocks.block_kind is not null then key_blocks.block_kind
            end
        ) as block_reason
    from keys
    left join key_blocks
        on keys.key_type = key_blocks.key_type
        and keys.key_value = key_blocks.key_value
    left join staff_emails
        on keys.key_type = 'email'
        and keys.key_value = staff_emails.email
    group by keys.key_type, keys.key_value
),

final as (
    select
        keys.key_type,
        keys.key_value,
        blocked.block_reason,
        coalesce(linked_people.linked_people, 0) as linked_people,
        blocked.block_reason is not null as is_blocked,
        -- a shared key (a kiosk browser) would glue strangers together: capped, not followed
        (
            blocked.block_reason is null
            and coalesce(linked_people.linked_people, 0) > identity_settings.max_people_per_key
        ) as is_capped
    from keys
    inner join blocked
        on keys.key_type = blocked.key_type
        and keys.key_value = blocked.key_value
    left join linked_people
        on keys.key_type = linked_people.key_type
        and keys.key_value = linked_people.key_value
    cross join identity_settings
)

select * from final
