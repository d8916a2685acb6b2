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

ledger_totals as (
    select
        lead_id,
        sum(case when rule_kind = 'fit' then points_effective else 0 end) as fit_points,
        sum(case when rule_kind = 'engagement' then points_effective else 0 end)
            as engagement_points,
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
        case when is_disqualified then 0 else round(fit_score + engagement_score, 2) end
            as total_score,
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
final as (
    select
        grid.*,
        coalesce(cell_bands.band, default_band.band) as band
    from grid
    left join bands as cell_bands
        on grid.grid_cell = cell_bands.grid_cell
    left join bands as default_band
        on default_band.grid_cell is null
)

select * from final
