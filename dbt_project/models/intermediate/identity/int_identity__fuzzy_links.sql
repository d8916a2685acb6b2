with fuzzy_matches as (
    select * from {{ ref('stg_identity__fuzzy_matches') }}
),

identity_settings as (
    select * from {{ ref('stg_config__identity_settings') }}
),

support_requesters as (
    select * from {{ ref('int_support__requesters') }}
),

-- a record without a usable email joins the one personal address Splink matched at or above
-- the threshold (a pair on which only the names compare: the name-only threshold); two
-- addresses above it (namesakes) are ambiguous: no join
above_threshold as (
    select
        fuzzy_matches.*,
        {{ count_distinct_over(
            'fuzzy_matches.right_key_value',
            'fuzzy_matches.left_key_type, fuzzy_matches.left_key_value',
        ) }} as matched_addresses
    from fuzzy_matches
    cross join identity_settings
    where
        fuzzy_matches.match_probability >= case
            when fuzzy_matches.names_only then identity_settings.name_only_match_threshold
            else identity_settings.match_threshold
        end
),

-- the record must be known at the as-of instant (a Zendesk user: as a requester)
known_matches as (
    select
        above_threshold.*,
        coalesce(above_threshold.left_seen_at, support_requesters.first_ticket_at) as linked_at
    from above_threshold
    left join support_requesters
        on above_threshold.left_key_type = 'zendesk_user_id'
        and above_threshold.left_key_value = support_requesters.user_id
    where above_threshold.matched_addresses = 1
        and (
            above_threshold.left_key_type <> 'zendesk_user_id'
            or support_requesters.user_id is not null
        )
),

final as (
    select
        left_source as source,
        left_key_type as key_type,
        left_key_value as key_value,
        right_key_type as linked_key_type,
        right_key_value as linked_key_value,
        'fuzzy' as link_kind,
        linked_at,
        match_probability
    from known_matches
)

select * from final
