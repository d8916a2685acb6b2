-- A failure means a lead's total_score is not what its ledger says: the total must equal the
-- sum of the lead's ledger points_effective (fit + engagement), or 0 when a disqualifying rule
-- is in the ledger; a manual score override (shown in the lead's reasons) replaces it. Each
-- returned row is a lead whose score cannot be explained point by point.
with scores as (
    select * from {{ ref('lead_scores') }}
),

ledger as (
    select * from {{ ref('score_ledger') }}
),

ledger_totals as (
    select
        lead_id,
        sum(points_effective) as ledger_points,
        max(case when is_disqualifier then 1 else 0 end) = 1 as has_disqualifier
    from ledger
    group by lead_id
),

compared as (
    select
        scores.lead_id,
        scores.total_score,
        case
            when scores.override_score is not null then scores.override_score
            when coalesce(ledger_totals.has_disqualifier, false) then 0
            else round(coalesce(ledger_totals.ledger_points, 0), 2)
        end as expected_total
    from scores
    left join ledger_totals
        on scores.lead_id = ledger_totals.lead_id
)

select * from compared
where abs(total_score - expected_total) > 0.005
