-- A failure means lead_profiles and lead_scores disagree on who the people are: every
-- profile must have exactly one score row and every score row a profile (no fan-out, no loss).
with profiles as (
    select lead_id from {{ ref('lead_profiles') }}
),

scores as (
    select lead_id from {{ ref('lead_scores') }}
),

score_counts as (
    select lead_id, count(*) as score_rows
    from scores
    group by lead_id
)

select
    coalesce(profiles.lead_id, score_counts.lead_id) as lead_id,
    coalesce(score_counts.score_rows, 0) as score_rows
from profiles
full outer join score_counts
    on profiles.lead_id = score_counts.lead_id
where profiles.lead_id is null
    or score_counts.score_rows is distinct from 1
