with context_matches as (
    select * from {{ ref('int_scoring__context_matches') }}
),

fit_matches as (
    select * from {{ ref('int_scoring__fit_matches') }}
),

point_overrides as (
    select * from {{ ref('stg_config__point_overrides') }}
),

-- within an exclusive group a touchpoint earns only the rule with the lowest priority
exclusive_matches as (
    {{ exclusive_group_winners('context_matches', 'touchpoint_id') }}
),

-- the first override (by position) whose campaign or segment matches replaces the points
override_candidates as (
    select
        exclusive_matches.touchpoint_id,
        exclusive_matches.rule_id,
        point_overrides.points,
        case
            when point_overrides.campaign_pattern is not null
                then 'campaign ' || point_overrides.campaign_pattern
            else 'segment ' || point_overrides.segment_rule_id
        end as point_override,
        row_number() over (
            partition by exclusive_matches.touchpoint_id, exclusive_matches.rule_id
            order by point_overrides.position
        ) as override_rank
    from exclusive_matches
    inner join point_overrides
        on exclusive_matches.rule_id = point_overrides.rule_id
    left join fit_matches as segments
        on exclusive_matches.lead_id = segments.lead_id
        and point_overrides.segment_rule_id = segments.rule_id
    where
        (
            point_overrides.campaign_pattern is not null
            and {{ regex_matches_ci(
                'exclusive_matches.campaign', 'point_overrides.campaign_pattern'
            ) }}
        )
        or segments.rule_id is not null
),

final as (
    select
        exclusive_matches.lead_id,
        exclusive_matches.touchpoint_id,
        exclusive_matches.source,
        exclusive_matches.occurred_at,
        exclusive_matches.rule_id,
        exclusive_matches.rule_group,
        exclusive_matches.rule_description,
        exclusive_matches.rule_subject,
        exclusive_matches.rule_points,
        exclusive_matches.cap_max_points,
        exclusive_matches.cap_window_days,
        exclusive_matches.context_touchpoint_id,
        override_candidates.point_override,
        coalesce(override_candidates.points, exclusive_matches.rule_points) as points
    from exclusive_matches
    left join override_candidates
        on exclusive_matches.touchpoint_id = override_candidates.touchpoint_id
        and exclusive_matches.rule_id = override_candidates.rule_id
        and override_candidates.override_rank = 1
)

select * from final
