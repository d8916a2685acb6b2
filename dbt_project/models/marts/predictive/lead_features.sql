{#-
    The model's features per lead as of the as-of instant, one row per lead and feature.
    Only what happened up to as-of feeds them (touchpoints and ledger rows at or before it),
    so replaying this model as of a past cutoff gives that cutoff's features exactly.
-#}
{%- set windows_days = var('feature_windows_days', [7, 30, 90]) -%}
{#- `7d`, `30d`, ... or `all` -#}
{%- set window_suffix = "coalesce(cast(window_days as " ~ dbt.type_string() ~ ") || 'd', 'all')" -%}

with profiles as (
    select * from {{ ref('lead_profiles') }}
    where first_seen_at <= {{ as_of_timestamp() }}
),

touchpoints as (
    select * from {{ ref('touchpoints') }}
    where lead_id is not null
        and occurred_at <= {{ as_of_timestamp() }}
),

ledger as (
    select * from {{ ref('score_ledger') }}
),

-- the windows in days, and a null one: everything up to as-of (`_all`)
windows as (
    {%- for window_days in windows_days %}
    select {{ window_days }} as window_days
    union all
    {%- endfor %}
    select cast(null as integer) as window_days
),

-- how many touchpoints of each activity and each channel in the last N days before as-of
windowed_touchpoints as (
    select
        touchpoints.lead_id,
        touchpoints.activity,
        touchpoints.channel,
        windows.window_days
    from touchpoints
    inner join windows
        on windows.window_days is null
        or touchpoints.occurred_at
        > {{ dbt.dateadd('day', '-1 * windows.window_days', as_of_timestamp()) }}
),

activity_counts as (
    select
        lead_id,
        'activity_' || activity || '_' || {{ window_suffix }} as feature,
        cast(count(*) as {{ dbt.type_float() }}) as numeric_value
    from windowed_touchpoints
    group by lead_id, activity, window_days
),

channel_counts as (
    select
        lead_id,
        'channel_' || channel || '_' || {{ window_suffix }} as feature,
        cast(count(*) as {{ dbt.type_float() }}) as numeric_value
    from windowed_touchpoints
    group by lead_id, channel, window_days
),

-- days (fractional) from the lead's latest touchpoint of each channel to as-of
channel_recency as (
    select
        lead_id,
        'days_since_' || channel as feature,
        -- dbt.datediff renders wider than it reads here: no line is too long in the source
        {{ dbt.datediff('max(occurred_at)', as_of_timestamp(), 'second') }} / 86400.0  -- noqa: LT05
            as numeric_value
    from touchpoints
    group by lead_id, channel
),

any_recency as (
    select
        lead_id,
        'days_since_any_touch' as feature,
        -- dbt.datediff renders wider than it reads here: no line is too long in the source
        {{ dbt.datediff('max(occurred_at)', as_of_timestamp(), 'second') }} / 86400.0  -- noqa: LT05
            as numeric_value
    from touchpoints
    group by lead_id
),

-- the rule score's parts as of as-of: effective points per rule group, fit and engagement;
-- rounded to 6 decimals so that a rerun gives the same bytes (a float sum's last bit depends
-- on the order DuckDB's threads add in)
rule_group_points as (
    select
        lead_id,
        'rule_points_' || rule_kind || '_' || coalesce(rule_group, rule_id) as feature,
        round(sum(points_effective), 6) as numeric_value
    from ledger
    group by lead_id, rule_kind, coalesce(rule_group, rule_id)
),

rule_totals as (
    select
        lead_id,
        round(sum(case when rule_kind = 'fit' then points_effective else 0 end), 6) as fit_points,
        round(sum(case when rule_kind = 'engagement' then points_effective else 0 end), 6)
            as engagement_points,
        max(case when is_disqualifier then 1 else 0 end) as is_disqualified
    from ledger
    group by lead_id
),

rule_score_parts as (
    select lead_id, 'rule_fit_score' as feature, fit_points as numeric_value
    from rule_totals
    union all
    select lead_id, 'rule_engagement_score', engagement_points
    from rule_totals
    union all
    select
        lead_id, 'rule_total_score',
        case when is_disqualified = 1 then 0 else fit_points + engagement_points end
    from rule_totals
    union all
    select lead_id, 'rule_is_disqualified', cast(is_disqualified as {{ dbt.type_float() }})
    from rule_totals
),

numeric_features as (
    select * from activity_counts
    union all
    select * from channel_counts
    union all
    select * from channel_recency
    union all
    select * from any_recency
    union all
    select * from rule_group_points
    union all
    select * from rule_score_parts
),

-- fit attributes from the profile: employees as a number, industry and country as categories
profile_features as (
    select
        lead_id,
        'employee_count' as feature,
        cast(employee_count as {{ dbt.type_float() }}) as numeric_value,
        cast(null as {{ dbt.type_string() }}) as text_value
    from profiles
    where employee_count is not null
    union all
    select lead_id, 'industry', cast(null as {{ dbt.type_float() }}), lower(industry)
    from profiles
    where industry is not null
    union all
    select lead_id, 'country', cast(null as {{ dbt.type_float() }}), upper(country)
    from profiles
    where country is not null
    union all
    select
        lead_id,
        'days_known',
        {{ dbt.datediff('first_seen_at', as_of_timestamp(), 'second') }} / 86400.0,  -- noqa: LT05
        cast(null as {{ dbt.type_string() }})
    from profiles
),

all_features as (
    select
        profiles.lead_id,
        numeric_features.feature,
        numeric_features.numeric_value,
        cast(null as {{ dbt.type_string() }}) as text_value
    from numeric_features
    inner join profiles
        on numeric_features.lead_id = profiles.lead_id
    union all
    select * from profile_features
),

final as (
    select
        all_features.lead_id,
        {{ as_of_timestamp() }} as as_of,
        all_features.feature,
        all_features.numeric_value,
        all_features.text_value,
        (
            profiles.converted_at is not null
            and profiles.converted_at <= {{ as_of_timestamp() }}
        ) as is_converted_at_as_of
    from all_features
    inner join profiles
        on all_features.lead_id = profiles.lead_id
)

select * from final
