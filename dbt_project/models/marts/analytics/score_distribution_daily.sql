{#- One row per scored day (lead_score_history, up to the as-of day) and 10-point score
    bucket: how many leads scored in it. -#}
with history as (
    select * from {{ ref('lead_score_history') }}
    where date <= cast({{ as_of_timestamp() }} as date)
),

bucketed as (
    select
        date,
        cast(floor(total_score / 10.0) * 10 as {{ dbt.type_int() }}) as score_bucket
    from history
),

final as (
    select
        date,
        score_bucket,
        score_bucket + 10 as score_bucket_end,
        count(*) as leads
    from bucketed
    group by date, score_bucket
)

select * from final
