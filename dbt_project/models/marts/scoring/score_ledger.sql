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

fit_rules as (
    select * from {{ ref('stg_config__fit_rules') }}
),

settings as (
    select * from {{ ref('stg_config__rule_settings') }}
),

-- one point per touchpoint and rule whose activity it is
activity_points as (
    select
        touchpoints.lead_id,
        touchpoints.touchpoint_id,
        engagement_rules.rule_id,
        engagement_rules.rule_group,
        engagement_rules.rule_description,
        engagement_rules.activity as rule_subject,
        engagement_rules.points,
        cast(false as boolean) as is_disqualifier,
        touchpoints.occurred_at
    from touchpoints
    inner join engagement_rules
        on touchpoints.activity = engagement_rules.activity
),

-- time on site: once per session, at the touchpoint where the session crosses the limit
long_session_points as (
    select
        touchpoints.lead_id,
        touchpoints.touchpoint_id,
        engagement_rules.rule_id,
        engagement_rules.rule_group,
        engagement_rules.rule_description,
        engagement_rules.activity as rule_subject,
        engagement_rules.points,
        cast(false as boolean) as is_disqualifier,
        sessions.long_session_at as occurred_at
    from sessions
    inner join touchpoints
        on sessions.long_session_touchpoint_id = touchpoints.touchpoint_id
    inner join engagement_rules
        on engagement_rules.activity = 'long_session'
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

fit_points as (
    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        rule_id,
        rule_group,
        rule_description,
        field as rule_subject,
        coalesce(points, 0) as points,
        is_disqualifier,
        cast(null as {{ dbt.type_timestamp() }}) as occurred_at
    from ranked_fit_matches
    where group_rank = 1
),

engagement_rows as (
    select 'engagement' as rule_kind, * from activity_points
    union all
    select 'engagement' as rule_kind, * from long_session_points
),

all_rows as (
    select * from engagement_rows
    union all
    select 'fit' as rule_kind, * from fit_points
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
        all_rows.points,
        -- decay and caps come later: for now a point is worth its face value
        all_rows.points as points_effective,
        all_rows.occurred_at,
        {{ as_of_timestamp() }} as as_of,
        settings.rules_version
    from all_rows
    cross join settings
)

select * from final
