{#- One row per lead and threshold, the first time the lead's total reaches the threshold.
    Incremental and append-only: a lead crosses a threshold once, whatever later runs see. -#}
{{ config(
    materialized='incremental',
    on_schema_change='append_new_columns'
) }}

with scores as (
    select * from {{ ref('lead_scores') }}
),

history as (
    select * from {{ ref('lead_score_history') }}
    where date < cast({{ as_of_timestamp() }} as date)
),

thresholds as (
    select * from {{ ref('stg_config__alert_thresholds') }}
),

-- the lead's score on the latest day scored before this one
previous_scores as (
    select
        lead_id,
        total_score,
        row_number() over (partition by lead_id order by date desc) as day_rank
    from history
),

-- a crossing: at or above now, and below (or unscored) before; a back-fill threshold also
-- takes leads that were already above it when it was added
crossings as (
    select
        scores.lead_id,
        thresholds.threshold,
        scores.as_of as crossed_at,
        scores.total_score,
        previous_scores.total_score as previous_total_score,
        scores.band,
        scores.owner,
        scores.rules_version
    from scores
    cross join thresholds
    left join previous_scores
        on scores.lead_id = previous_scores.lead_id
        and previous_scores.day_rank = 1
    where scores.total_score >= thresholds.threshold
        and (
            thresholds.is_backfill
            or previous_scores.total_score is null
            or previous_scores.total_score < thresholds.threshold
        )
),

new_crossings as (
    select * from crossings
    {% if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as alerted
        where alerted.lead_id = crossings.lead_id
            and alerted.threshold = crossings.threshold
    )
    {% endif %}
),

final as (
    select
        {{ dbt.hash("lead_id || ':' || cast(threshold as " ~ dbt.type_string() ~ ")") }}
            as alert_id,
        lead_id,
        threshold,
        crossed_at,
        total_score,
        previous_total_score,
        band,
        owner,
        rules_version
    from new_crossings
)

select * from final
