with touchpoints as (
    select * from {{ ref('int_scoring__touchpoints') }}
),

sessions as (
    select * from {{ ref('int_web__sessions') }}
    where long_session_touchpoint_id is not null
),

engagement_rules as (
    select * from {{ ref('stg_config__engagement_rules') }}
),

-- a rule without an activity condition is tried on every activity present, so that every
-- rule joins touchpoints on equality (a hash join, not a scan per rule)
present_activities as (
    select distinct activity from touchpoints
),

rule_activities as (
    select
        engagement_rules.*,
        coalesce(engagement_rules.activity, present_activities.activity) as match_activity
    from engagement_rules
    left join present_activities
        on engagement_rules.activity is null
),

-- every touchpoint and rule whose conditions all hold (a null condition always holds)
touchpoint_matches as (
    select
        touchpoints.lead_id,
        touchpoints.touchpoint_id,
        touchpoints.source,
        touchpoints.campaign,
        touchpoints.occurred_at,
        rule_activities.rule_id,
        rule_activities.rule_group,
        rule_activities.rule_description,
        touchpoints.activity as rule_subject,
        rule_activities.points as rule_points,
        rule_activities.after_activity,
        rule_activities.after_within_minutes,
        rule_activities.exclusive_group,
        rule_activities.priority,
        rule_activities.cap_max_points,
        rule_activities.cap_window_days
    from touchpoints
    inner join rule_activities
        on touchpoints.activity = rule_activities.match_activity
    where
        (
            rule_activities.channels is null
            or {{ list_contains_lower('rule_activities.channels', 'touchpoints.channel') }}
        )
        and (
            rule_activities.page_path_pattern is null
            or {{ regex_matches_ci('touchpoints.page_path', 'rule_activities.page_path_pattern') }}
        )
        and (
            rule_activities.url_pattern is null
            or {{ regex_matches_ci('touchpoints.url', 'rule_activities.url_pattern') }}
        )
        and (
            rule_activities.event_name_pattern is null
            or {{ regex_matches_ci(
                'touchpoints.event_name', 'rule_activities.event_name_pattern'
            ) }}
        )
        and (
            rule_activities.detail_pattern is null
            or {{ regex_matches_ci('touchpoints.detail', 'rule_activities.detail_pattern') }}
        )
        and (
            rule_activities.campaign_pattern is null
            or {{ regex_matches_ci('touchpoints.campaign', 'rule_activities.campaign_pattern') }}
        )
        and (
            rule_activities.duration_over_seconds is null
            or touchpoints.duration_seconds > rule_activities.duration_over_seconds
        )
),

-- time on site: once per session, at the touchpoint where the session crosses the limit
long_session_matches as (
    select
        touchpoints.lead_id,
        touchpoints.touchpoint_id,
        touchpoints.source,
        touchpoints.campaign,
        sessions.long_session_at as occurred_at,
        engagement_rules.rule_id,
        engagement_rules.rule_group,
        engagement_rules.rule_description,
        engagement_rules.activity as rule_subject,
        engagement_rules.points as rule_points,
        engagement_rules.after_activity,
        engagement_rules.after_within_minutes,
        engagement_rules.exclusive_group,
        engagement_rules.priority,
        engagement_rules.cap_max_points,
        engagement_rules.cap_window_days
    from sessions
    inner join touchpoints
        on sessions.long_session_touchpoint_id = touchpoints.touchpoint_id
    inner join engagement_rules
        on engagement_rules.activity = 'long_session'
),

final as (
    select * from touchpoint_matches
    union all
    select * from long_session_matches
)

select * from final
