with touchpoints as (
    select * from {{ ref('touchpoints') }}
    where lead_id is not null
        and occurred_at <= {{ as_of_timestamp() }}
),

sessions as (
    select * from {{ ref('int_web__sessions') }}
    where long_session_touchpoint_id is not null
),

profiles as (
    select * from {{ ref('lead_profiles') }}
),

engagement_rules as (
    select * from {{ ref('stg_config__engagement_rules') }}
),

point_overrides as (
    select * from {{ ref('stg_config__point_overrides') }}
),

group_caps as (
    select * from {{ ref('stg_config__group_caps') }}
),

decay as (
    select * from {{ ref('stg_config__decay') }}
),

decay_steps as (
    select * from {{ ref('stg_config__decay_steps') }}
),

fit_rules as (
    select * from {{ ref('stg_config__fit_rules') }}
),

settings as (
    select * from {{ ref('stg_config__rule_settings') }}
),

-- a stale source pauses decay: its points age only up to its last event (source_freshness)
stale_sources as (
    select * from {{ ref('source_freshness') }}
    where is_stale
),

-- the profile fields fit rules can test, one row per lead and field
profile_fields as (
    select lead_id, 'industry' as field, industry as text_value,
        cast(null as {{ dbt.type_float() }}) as number_value
    from profiles
    union all
    select lead_id, 'employee_count', cast(employee_count as {{ dbt.type_string() }}),
        cast(employee_count as {{ dbt.type_float() }})
    from profiles
    union all
    select lead_id, 'title', title, cast(null as {{ dbt.type_float() }})
    from profiles
    union all
    select lead_id, 'email_domain', email_domain, cast(null as {{ dbt.type_float() }})
    from profiles
    union all
    select lead_id, 'country', country, cast(null as {{ dbt.type_float() }})
    from profiles
),

fit_matches as (
    select
        profile_fields.lead_id,
        fit_rules.*
    from profile_fields
    inner join fit_rules
        on profile_fields.field = fit_rules.field
    where profile_fields.text_value is not null
        and (
            (
                fit_rules.match_type = 'in_list'
                and {{ list_contains_ci('fit_rules.list_values', 'profile_fields.text_value') }}
            )
            or (
                fit_rules.match_type = 'between'
                and profile_fields.number_value is not null
                and (fit_rules.min_value is null or profile_fields.number_value >= fit_rules.min_value)
                and (fit_rules.max_value is null or profile_fields.number_value <= fit_rules.max_value)
            )
            or (
                fit_rules.match_type = 'pattern'
                and {{ regex_matches_ci('profile_fields.text_value', 'fit_rules.pattern') }}
            )
        )
),

-- within an exclusive group only the matching rule with the lowest priority applies
ranked_fit_matches as (
    select
        *,
        case
            when exclusive_group is null then 1
            else row_number() over (
                partition by lead_id, exclusive_group
                order by priority nulls last, rule_id
            )
        end as group_rank
    from fit_matches
),

applied_fit_matches as (
    select * from ranked_fit_matches
    where group_rank = 1
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
    where (
            rule_activities.channels is null
            or {{ list_contains_ci('rule_activities.channels', 'touchpoints.channel') }}
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
            or {{ regex_matches_ci('touchpoints.event_name', 'rule_activities.event_name_pattern') }}
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

engagement_matches as (
    select * from touchpoint_matches
    union all
    select * from long_session_matches
),

-- context rules: the lead's latest earlier touchpoint of the wanted activity in the window
context_candidates as (
    select
        engagement_matches.touchpoint_id,
        engagement_matches.rule_id,
        earlier.touchpoint_id as context_touchpoint_id,
        row_number() over (
            partition by engagement_matches.touchpoint_id, engagement_matches.rule_id
            order by earlier.occurred_at desc, earlier.touchpoint_id
        ) as context_rank
    from engagement_matches
    inner join touchpoints as earlier
        on engagement_matches.lead_id = earlier.lead_id
        and engagement_matches.after_activity = earlier.activity
        and earlier.touchpoint_id <> engagement_matches.touchpoint_id
        and earlier.occurred_at <= engagement_matches.occurred_at
        and earlier.occurred_at >= {{ dbt.dateadd(
            'minute', '-1 * engagement_matches.after_within_minutes', 'engagement_matches.occurred_at'
        ) }}
),

contextual_matches as (
    select
        engagement_matches.*,
        context_candidates.context_touchpoint_id
    from engagement_matches
    left join context_candidates
        on engagement_matches.touchpoint_id = context_candidates.touchpoint_id
        and engagement_matches.rule_id = context_candidates.rule_id
        and context_candidates.context_rank = 1
    where engagement_matches.after_activity is null
        or context_candidates.context_touchpoint_id is not null
),

-- within an exclusive group a touchpoint earns only the rule with the lowest priority
exclusive_matches as (
    select
        *,
        case
            when exclusive_group is null then 1
            else row_number() over (
                partition by touchpoint_id, exclusive_group
                order by priority nulls last, rule_id
            )
        end as group_rank
    from contextual_matches
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
    left join applied_fit_matches as segments
        on exclusive_matches.lead_id = segments.lead_id
        and point_overrides.segment_rule_id = segments.rule_id
    where exclusive_matches.group_rank = 1
        and (
            (
                point_overrides.campaign_pattern is not null
                and {{ regex_matches_ci('exclusive_matches.campaign', 'point_overrides.campaign_pattern') }}
            )
            or segments.rule_id is not null
        )
),

priced as (
    select
        exclusive_matches.*,
        override_candidates.point_override,
        coalesce(override_candidates.points, exclusive_matches.rule_points) as points
    from exclusive_matches
    left join override_candidates
        on exclusive_matches.touchpoint_id = override_candidates.touchpoint_id
        and exclusive_matches.rule_id = override_candidates.rule_id
        and override_candidates.override_rank = 1
    where exclusive_matches.group_rank = 1
),

-- caps count face points (before decay) of the lead's earlier occurrences in the window
-- ending at this one, so no window of that length ever holds more than the cap
rule_cap_prior as (
    select
        current_row.touchpoint_id,
        current_row.rule_id,
        sum(earlier.points) as prior_points
    from priced as current_row
    inner join priced as earlier
        on current_row.lead_id = earlier.lead_id
        and current_row.rule_id = earlier.rule_id
        and (
            earlier.occurred_at < current_row.occurred_at
            or (
                earlier.occurred_at = current_row.occurred_at
                and earlier.touchpoint_id < current_row.touchpoint_id
            )
        )
        and (
            current_row.cap_window_days is null
            or earlier.occurred_at > {{ dbt.dateadd(
                'day', '-1 * current_row.cap_window_days', 'current_row.occurred_at'
            ) }}
        )
    where current_row.cap_max_points is not null
    group by current_row.touchpoint_id, current_row.rule_id
),

rule_capped as (
    select
        priced.*,
        case
            when priced.cap_max_points is null then priced.points
            else least(
                priced.points,
                greatest(priced.cap_max_points - coalesce(rule_cap_prior.prior_points, 0), 0)
            )
        end as points_after_rule_cap
    from priced
    left join rule_cap_prior
        on priced.touchpoint_id = rule_cap_prior.touchpoint_id
        and priced.rule_id = rule_cap_prior.rule_id
),

group_capped_rows as (
    select
        rule_capped.*,
        group_caps.max_points as group_cap_max_points,
        group_caps.window_days as group_cap_window_days
    from rule_capped
    left join group_caps
        on rule_capped.rule_group = group_caps.rule_group
),

group_cap_prior as (
    select
        current_row.touchpoint_id,
        current_row.rule_id,
        sum(earlier.points_after_rule_cap) as prior_points
    from group_capped_rows as current_row
    inner join group_capped_rows as earlier
        on current_row.lead_id = earlier.lead_id
        and current_row.rule_group = earlier.rule_group
        and (
            earlier.occurred_at < current_row.occurred_at
            or (
                earlier.occurred_at = current_row.occurred_at
                and (
                    earlier.touchpoint_id < current_row.touchpoint_id
                    or (
                        earlier.touchpoint_id = current_row.touchpoint_id
                        and earlier.rule_id < current_row.rule_id
                    )
                )
            )
        )
        and (
            current_row.group_cap_window_days is null
            or earlier.occurred_at > {{ dbt.dateadd(
                'day', '-1 * current_row.group_cap_window_days', 'current_row.occurred_at'
            ) }}
        )
    where current_row.group_cap_max_points is not null
    group by current_row.touchpoint_id, current_row.rule_id
),

capped as (
    select
        group_capped_rows.*,
        case
            when group_capped_rows.group_cap_max_points is null
                then group_capped_rows.points_after_rule_cap
            else least(
                group_capped_rows.points_after_rule_cap,
                greatest(
                    group_capped_rows.group_cap_max_points - coalesce(group_cap_prior.prior_points, 0),
                    0
                )
            )
        end as points_after_caps,
        -- age from the event to the as-of instant (or to the last event of a stale
        -- source), in days (microsecond precision)
        {{ dbt.datediff(
            'group_capped_rows.occurred_at',
            'coalesce(stale_sources.last_event_at, ' ~ as_of_timestamp() ~ ')',
            'microsecond'
        ) }} / 86400000000.0 as age_days,
        stale_sources.last_event_at as decay_paused_at
    from group_capped_rows
    left join group_cap_prior
        on group_capped_rows.touchpoint_id = group_cap_prior.touchpoint_id
        and group_capped_rows.rule_id = group_cap_prior.rule_id
    left join touchpoints as decay_touchpoints
        on group_capped_rows.touchpoint_id = decay_touchpoints.touchpoint_id
    left join stale_sources
        on decay_touchpoints.source = stale_sources.source
),

-- a group without its own decay follows the default (the row with a null rule_group)
decay_choices as (
    select
        capped.touchpoint_id,
        capped.rule_id,
        case when group_decay.decay_model is null then null else capped.rule_group end as decay_group,
        coalesce(group_decay.decay_model, default_decay.decay_model) as decay_model,
        coalesce(group_decay.half_life_days, default_decay.half_life_days) as half_life_days
    from capped
    left join decay as group_decay
        on capped.rule_group = group_decay.rule_group
    left join decay as default_decay
        on default_decay.rule_group is null
),

-- a stepwise decay takes the factor of the last step the age has reached
step_factors as (
    select
        capped.touchpoint_id,
        capped.rule_id,
        decay_steps.factor,
        row_number() over (
            partition by capped.touchpoint_id, capped.rule_id
            order by decay_steps.after_days desc
        ) as step_rank
    from capped
    inner join decay_choices
        on capped.touchpoint_id = decay_choices.touchpoint_id
        and capped.rule_id = decay_choices.rule_id
    inner join decay_steps
        on decay_steps.rule_group is not distinct from decay_choices.decay_group
        and decay_steps.after_days <= capped.age_days
    where decay_choices.decay_model = 'steps'
),

decayed as (
    select
        capped.*,
        decay_choices.decay_model,
        case
            when decay_choices.decay_model = 'half_life'
                then power(0.5, capped.age_days / decay_choices.half_life_days)
            when decay_choices.decay_model = 'steps' then coalesce(step_factors.factor, 1)
            else 1
        end as decay_factor
    from capped
    inner join decay_choices
        on capped.touchpoint_id = decay_choices.touchpoint_id
        and capped.rule_id = decay_choices.rule_id
    left join step_factors
        on capped.touchpoint_id = step_factors.touchpoint_id
        and capped.rule_id = step_factors.rule_id
        and step_factors.step_rank = 1
),

engagement_rows as (
    select
        lead_id,
        touchpoint_id,
        rule_id,
        rule_group,
        'engagement' as rule_kind,
        rule_subject,
        rule_description,
        cast(false as boolean) as is_disqualifier,
        context_touchpoint_id,
        point_override,
        rule_points,
        points,
        points_after_caps,
        age_days,
        decay_paused_at,
        decay_model,
        decay_factor,
        occurred_at
    from decayed
),

-- fit never decays and has no caps
fit_rows as (
    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        rule_id,
        rule_group,
        'fit' as rule_kind,
        field as rule_subject,
        rule_description,
        is_disqualifier,
        cast(null as {{ dbt.type_string() }}) as context_touchpoint_id,
        cast(null as {{ dbt.type_string() }}) as point_override,
        coalesce(points, 0) as rule_points,
        coalesce(points, 0) as points,
        coalesce(points, 0) as points_after_caps,
        cast(null as {{ dbt.type_float() }}) as age_days,
        cast(null as {{ dbt.type_timestamp() }}) as decay_paused_at,
        cast(null as {{ dbt.type_string() }}) as decay_model,
        cast(1 as {{ dbt.type_float() }}) as decay_factor,
        cast(null as {{ dbt.type_timestamp() }}) as occurred_at
    from applied_fit_matches
),

all_rows as (
    select * from engagement_rows
    union all
    select * from fit_rows
),

final as (
    select
        {{ dbt.hash("all_rows.lead_id || ':' || all_rows.rule_id || ':' || coalesce(all_rows.touchpoint_id, '')") }} as ledger_id,
        all_rows.lead_id,
        all_rows.touchpoint_id,
        all_rows.rule_id,
        all_rows.rule_group,
        all_rows.rule_kind,
        all_rows.rule_subject,
        all_rows.rule_description,
        all_rows.is_disqualifier,
        all_rows.context_touchpoint_id,
        all_rows.point_override,
        all_rows.rule_points,
        all_rows.points,
        all_rows.points_after_caps,
        all_rows.points_after_caps - all_rows.points as cap_effect,
        all_rows.age_days,
        all_rows.decay_paused_at,
        all_rows.decay_model,
        all_rows.decay_factor,
        all_rows.points_after_caps * all_rows.decay_factor as points_effective,
        all_rows.occurred_at,
        {{ as_of_timestamp() }} as as_of,
        settings.rules_version
    from all_rows
    cross join settings
)

select * from final
