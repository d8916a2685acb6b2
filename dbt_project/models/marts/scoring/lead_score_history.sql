{#- One row per lead per scored day. A run adds its as-of day; rerunning a day replaces that
    day's rows (delete+insert on `date`; on Spark the `date` partition is overwritten), so
    the table is idempotent per day. -#}
{{ config(
    materialized='incremental',
    unique_key=['date'],
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    partition_by=(['date'] if target.type == 'spark' else none),
    on_schema_change='append_new_columns'
) }}

with scores as (
    select * from {{ ref('lead_scores') }}
),

final as (
    select
        cast(scores.as_of as date) as date,
        scores.lead_id,
        scores.as_of,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        scores.fit_grade,
        scores.engagement_tier,
        scores.grid_cell,
        scores.band,
        scores.override_band,
        scores.owner,
        scores.rules_version
    from scores
)

select * from final
