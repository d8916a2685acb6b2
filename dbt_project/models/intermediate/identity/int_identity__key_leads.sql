{{ config(materialized="table") }}

with components as (
    select * from {{ ref('int_identity__components') }}
),

links as (
    select * from {{ ref('int_identity__links') }}
),

key_first_seen as (
    select
        key_type,
        key_value,
        min(linked_at) as first_seen_at
    from (
        select key_type, key_value, linked_at from links
        union all
        select linked_key_type, linked_key_value, linked_at from links
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

-- a person is a component with an email; its id is that of its first-seen email (then the
-- smallest id): new keys never change it, and when two people merge the older id survives
anchors as (
    select
        component_id,
        candidate_lead_id as lead_id,
        key_value as anchor_email,
        row_number() over (
            partition by component_id
            order by first_seen_at nulls last, candidate_lead_id
        ) as anchor_rank
    from candidates
    where key_type = 'email'
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
        candidates.first_seen_at
    from candidates
    left join anchors
        on candidates.component_id = anchors.component_id
        and anchors.anchor_rank = 1
)

select * from final
