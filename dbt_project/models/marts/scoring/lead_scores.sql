with profiles as (
    select * from {{ ref('lead_profiles') }}
),

lead_grades as (
    select * from {{ ref('int_scoring__lead_grades') }}
),

lead_reasons as (
    select * from {{ ref('int_scoring__lead_reasons') }}
),

settings as (
    select * from {{ ref('stg_config__rule_settings') }}
),

lead_overrides as (
    select * from {{ ref('stg_config__lead_overrides') }}
),

lead_owners as (
    select * from {{ ref('int_scoring__lead_owners') }}
),

predictions as (
    select * from {{ ref('stg_predictive__lead_predictions') }}
),

-- a manual override (by lead_id or email) holds through its last day, as of the as-of day
active_overrides as (
    select
        profiles.lead_id,
        lead_overrides.band,
        lead_overrides.override_score,
        lead_overrides.override_reason,
        lead_overrides.overridden_by,
        lead_overrides.valid_until,
        row_number() over (
            partition by profiles.lead_id
            order by lead_overrides.lead_key
        ) as override_rank
    from lead_overrides
    inner join profiles
        on lead_overrides.lead_key = profiles.lead_id
        or lead_overrides.lead_key = profiles.email
    where lead_overrides.valid_until is null
        or lead_overrides.valid_until >= cast({{ as_of_timestamp() }} as date)
),

-- the override comes last: it replaces the band and/or total and is the first reason
overridden as (
    select
        lead_grades.*,
        lead_grades.total_score as rules_total_score,
        lead_grades.band as rules_band,
        coalesce(active_overrides.override_score, lead_grades.total_score) as final_total_score,
        coalesce(active_overrides.band, lead_grades.band) as final_band,
        active_overrides.band as override_band,
        active_overrides.override_score,
        active_overrides.override_reason,
        active_overrides.overridden_by,
        active_overrides.valid_until as override_until,
        case
            when active_overrides.lead_id is not null
                then 'override: ' || active_overrides.override_reason
                    || ' (' || active_overrides.overridden_by || ')'
        end as override_text
    from lead_grades
    left join active_overrides
        on lead_grades.lead_id = active_overrides.lead_id
        and active_overrides.override_rank = 1
),

final as (
    select
        overridden.lead_id,
        {{ as_of_timestamp() }} as as_of,
        overridden.fit_score,
        overridden.engagement_score,
        overridden.final_total_score as total_score,
        overridden.is_disqualified,
        overridden.fit_grade,
        overridden.engagement_tier,
        overridden.grid_cell,
        overridden.final_band as band,
        round(100 * percent_rank() over (order by overridden.final_total_score), 2)
            as score_percentile,
        predictions.conversion_probability,
        case
            when overridden.override_text is null then lead_reasons.top_reasons
            when lead_reasons.top_reasons is null then overridden.override_text
            else overridden.override_text || '; ' || lead_reasons.top_reasons
        end as top_reasons,
        overridden.override_band,
        overridden.override_score,
        overridden.override_reason,
        overridden.overridden_by,
        overridden.override_until,
        overridden.rules_total_score,
        overridden.rules_band,
        lead_owners.team,
        lead_owners.owner,
        settings.rules_version,
        predictions.model_version
    from overridden
    left join lead_reasons
        on overridden.lead_id = lead_reasons.lead_id
    left join lead_owners
        on overridden.lead_id = lead_owners.lead_id
    left join predictions
        on overridden.lead_id = predictions.lead_id
    cross join settings
)

select * from final
