with profiles as (
    select * from {{ ref('lead_profiles') }}
),

ledger as (
    select * from {{ ref('score_ledger') }}
),

grade_thresholds as (
    select * from {{ ref('stg_config__grade_thresholds') }}
),

bands as (
    select * from {{ ref('stg_config__bands') }}
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

ledger_totals as (
    select
        lead_id,
        sum(case when rule_kind = 'fit' then points_effective else 0 end) as fit_points,
        sum(case when rule_kind = 'engagement' then points_effective else 0 end) as engagement_points,
        max(case when is_disqualifier then 1 else 0 end) = 1 as is_disqualified
    from ledger
    group by lead_id
),

scores as (
    select
        profiles.lead_id,
        round(coalesce(ledger_totals.fit_points, 0), 2) as fit_score,
        round(coalesce(ledger_totals.engagement_points, 0), 2) as engagement_score,
        coalesce(ledger_totals.is_disqualified, false) as is_disqualified
    from profiles
    left join ledger_totals
        on profiles.lead_id = ledger_totals.lead_id
),

-- a disqualified lead scores 0 in all: it is graded as a zero fit and zero engagement
graded_scores as (
    select
        *,
        case when is_disqualified then 0 else round(fit_score + engagement_score, 2) end as total_score,
        case when is_disqualified then 0 else fit_score end as graded_fit_score,
        case when is_disqualified then 0 else engagement_score end as graded_engagement_score
    from scores
),

-- both scales in one shape, so one join grades them
scale_scores as (
    select lead_id, 'fit_grade' as scale, graded_fit_score as score
    from graded_scores
    union all
    select lead_id, 'engagement_tier' as scale, graded_engagement_score as score
    from graded_scores
),

-- a score takes the label with the highest min_score it reaches; null min_score = catch-all
scale_labels as (
    select
        scale_scores.lead_id,
        scale_scores.scale,
        grade_thresholds.label,
        row_number() over (
            partition by scale_scores.lead_id, scale_scores.scale
            order by grade_thresholds.min_score desc nulls last
        ) as label_rank
    from scale_scores
    inner join grade_thresholds
        on scale_scores.scale = grade_thresholds.scale
        and (
            grade_thresholds.min_score is null
            or scale_scores.score >= grade_thresholds.min_score
        )
),

grid as (
    select
        graded_scores.*,
        fit_grades.label as fit_grade,
        engagement_tiers.label as engagement_tier,
        fit_grades.label || engagement_tiers.label as grid_cell
    from graded_scores
    left join scale_labels as fit_grades
        on graded_scores.lead_id = fit_grades.lead_id
        and fit_grades.scale = 'fit_grade'
        and fit_grades.label_rank = 1
    left join scale_labels as engagement_tiers
        on graded_scores.lead_id = engagement_tiers.lead_id
        and engagement_tiers.scale = 'engagement_tier'
        and engagement_tiers.label_rank = 1
),

-- a grid cell's band, else the catch-all band (a row with a null grid_cell)
banded as (
    select
        grid.*,
        coalesce(cell_bands.band, default_band.band) as band
    from grid
    left join bands as cell_bands
        on grid.grid_cell = cell_bands.grid_cell
    left join bands as default_band
        on default_band.grid_cell is null
),

rule_contributions as (
    select
        lead_id,
        rule_id,
        max(case when is_disqualifier then 1 else 0 end) = 1 as is_disqualifier,
        sum(points_effective) as points_effective
    from ledger
    group by lead_id, rule_id
),

reason_texts as (
    select
        lead_id,
        rule_id,
        is_disqualifier,
        points_effective,
        case
            when is_disqualifier then rule_id || ' (disqualified)'
            else rule_id || ' ' || {{ format_points('points_effective') }}
        end as reason_text
    from rule_contributions
),

-- the three largest contributions, a disqualifier always first
top_reasons as (
    select
        lead_id,
        {{ dbt.listagg(
            'reason_text',
            "'; '",
            'order by case when is_disqualifier then 0 else 1 end, abs(points_effective) desc, rule_id',
            3
        ) }} as top_reasons
    from reason_texts
    group by lead_id
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
        banded.*,
        banded.total_score as rules_total_score,
        banded.band as rules_band,
        coalesce(active_overrides.override_score, banded.total_score) as final_total_score,
        coalesce(active_overrides.band, banded.band) as final_band,
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
    from banded
    left join active_overrides
        on banded.lead_id = active_overrides.lead_id
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
        round(100 * percent_rank() over (order by overridden.final_total_score), 2) as score_percentile,
        predictions.conversion_probability,
        case
            when overridden.override_text is null then top_reasons.top_reasons
            when top_reasons.top_reasons is null then overridden.override_text
            else overridden.override_text || '; ' || top_reasons.top_reasons
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
    left join top_reasons
        on overridden.lead_id = top_reasons.lead_id
    left join lead_owners
        on overridden.lead_id = lead_owners.lead_id
    left join predictions
        on overridden.lead_id = predictions.lead_id
    cross join settings
)

select * from final
