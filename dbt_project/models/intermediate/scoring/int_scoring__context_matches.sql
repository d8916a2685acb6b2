with engagement_matches as (
    select * from {{ ref('int_scoring__engagement_matches') }}
),

touchpoints as (
    select * from {{ ref('int_scoring__touchpoints') }}
),

-- context rules: the lead's latest earlier touchpoint of the wanted activity in the window
context_candidates as (
    select
        engagement_matches.touchpoint_id,
        engagement_matches.rule_id,
        earlier.touchpoint_id as context_touchpoint_id,
        row_number() over (
            partition by engagement_matches.touchpoint_id, engagement_matches.rule_id
            order by earlier.occurred_at desc, earlier.touchpoint_id asc
        ) as context_rank
    from engagement_matches
    inner join touchpoints as earlier
        on engagement_matches.lead_id = earlier.lead_id
        and engagement_matches.after_activity = earlier.activity
        and earlier.touchpoint_id <> engagement_matches.touchpoint_id
        and earlier.occurred_at <= engagement_matches.occurred_at
        and earlier.occurred_at >= {{ dbt.dateadd(
            'minute',
            '-1 * engagement_matches.after_within_minutes',
            'engagement_matches.occurred_at'
        ) }}
),

final as (
    select
        engagement_matches.lead_id,
        engagement_matches.touchpoint_id,
        engagement_matches.source,
        engagement_matches.campaign,
        engagement_matches.occurred_at,
        engagement_matches.rule_id,
        engagement_matches.rule_group,
        engagement_matches.rule_description,
        engagement_matches.rule_subject,
        engagement_matches.rule_points,
        engagement_matches.exclusive_group,
        engagement_matches.priority,
        engagement_matches.cap_max_points,
        engagement_matches.cap_window_days,
        context_candidates.context_touchpoint_id
    from engagement_matches
    left join context_candidates
        on engagement_matches.touchpoint_id = context_candidates.touchpoint_id
        and engagement_matches.rule_id = context_candidates.rule_id
        and context_candidates.context_rank = 1
    where engagement_matches.after_activity is null
        or context_candidates.context_touchpoint_id is not null
)

select * from final
