{{ config(materialized="table") }}

with components as (
    select * from {{ ref('int_identity__components') }}
),

links as (
    select * from {{ ref('int_identity__links') }}
),

key_guards as (
    select * from {{ ref('int_identity__key_guards') }}
),

-- records that name a person on their own (a CRM lead, a Zendesk requester, a badge, a
-- LinkedIn form): a component holding one is a person even without any email.
-- `has_own_email`: the record itself carried a usable (unblocked) address.
person_keys as (
    select
        links.key_type,
        links.key_value,
        bool_or(links.linked_key_type = 'email' and not coalesce(email_guards.is_blocked, true))
            as has_own_email
    from links
    left join key_guards as email_guards
        on links.linked_key_type = email_guards.key_type
        and links.linked_key_value = email_guards.key_value
    where links.link_kind = 'profile'
        and links.key_type in (
            'salesforce_lead_id', 'zendesk_user_id', 'booth_scan', 'linkedin_person'
        )
    group by links.key_type, links.key_value
),

key_first_seen as (
    select
        key_type,
        key_value,
        min(linked_at) as first_seen_at,
        -- an email known only from merged-away Salesforce leads never names the survivor
        bool_and(link_kind = 'merge') as is_merged_away
    from (
        select key_type, key_value, linked_at, link_kind from links
        union all
        select linked_key_type, linked_key_value, linked_at, link_kind from links
    ) as both_ends
    group by key_type, key_value
),

-- the id every key would carry on its own: an email's is the foundation's md5 id, so a lead
-- known by one email keeps the id it always had
candidates as (
    select
        components.component_id,
        components.node_id,
        components.key_type,
        components.key_value,
        key_first_seen.first_seen_at,
        coalesce(key_first_seen.is_merged_away, false) as is_merged_away,
        case
            when components.key_type = 'email'
                then {{ lead_id_for_email('components.key_value') }}
            else {{ lead_id_for_email("components.key_type || ':' || components.key_value") }}
        end as candidate_lead_id
    from components
    left join key_first_seen
        on components.key_type = key_first_seen.key_type
        and components.key_value = key_first_seen.key_value
),

-- a person is a component with an email or a record naming a person; its id is that of its
-- first-seen email (then the smallest id): new keys never change it, and when two people
-- merge the older id survives (a merged-away Salesforce lead's email only after the
-- master's: Salesforce says which record survives). Without any email, the first-seen
-- person record's id.
anchors as (
    select
        candidates.component_id,
        candidates.candidate_lead_id as lead_id,
        case when candidates.key_type = 'email' then candidates.key_value end as anchor_email,
        row_number() over (
            partition by candidates.component_id
            order by
                candidates.key_type <> 'email', candidates.is_merged_away,
                candidates.first_seen_at nulls last, candidates.candidate_lead_id
        ) as anchor_rank
    from candidates
    left join person_keys
        on candidates.key_type = person_keys.key_type
        and candidates.key_value = person_keys.key_value
    where candidates.key_type = 'email'
        or person_keys.key_value is not null
),

final as (
    select
        candidates.node_id,
        candidates.key_type,
        candidates.key_value,
        candidates.component_id,
        anchors.lead_id,
        anchors.anchor_email,
        candidates.candidate_lead_id,
        candidates.first_seen_at,
        person_keys.key_value is not null as is_person_key,
        coalesce(not person_keys.has_own_email, false) as is_emailless_person_key
    from candidates
    left join person_keys
        on candidates.key_type = person_keys.key_type
        and candidates.key_value = person_keys.key_value
    left join anchors
        on candidates.component_id = anchors.component_id
        and anchors.anchor_rank = 1
)

select * from final
