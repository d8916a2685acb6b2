with links as (
    select * from {{ ref('int_identity__links') }}
),

key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

-- every (source, key) with how that source tied it, both ends of each link counting
source_keys as (
    select source, key_type, key_value, link_kind, linked_at, match_probability from links
    union all
    -- a fuzzy match's far end is the matched record: its own source reports it
    select source, linked_key_type, linked_key_value, link_kind, linked_at, match_probability
    from links
    where link_kind <> 'fuzzy'
),

observed as (
    select
        source,
        key_type,
        key_value,
        {{ sorted_distinct_list('link_kind') }} as link_kinds,
        max(match_probability) as match_probability,
        min(linked_at) as first_seen_at,
        max(linked_at) as last_seen_at
    from source_keys
    group by source, key_type, key_value
),

final as (
    select
        {{ dbt.hash("observed.source || ':' || observed.key_type || ':' || observed.key_value") }}
            as identity_id,
        key_leads.lead_id,
        observed.source,
        observed.key_type,
        observed.key_value,
        key_leads.anchor_email as email,
        observed.link_kinds,
        observed.match_probability,
        observed.first_seen_at,
        observed.last_seen_at
    from observed
    inner join key_leads
        on observed.key_type = key_leads.key_type
        and observed.key_value = key_leads.key_value
)

select * from final
