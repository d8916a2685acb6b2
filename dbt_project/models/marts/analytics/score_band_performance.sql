{#- One row per segment of scored leads as of the run: every lead (`all`), each band, each
    grid cell and each score decile (1 = the top tenth by total_score): how many converted,
    were won, how fast, and the revenue. -#}
with scores as (
    select * from {{ ref('lead_scores') }}
),

profiles as (
    select * from {{ ref('lead_profiles') }}
),

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

scored_leads as (
    select
        scores.lead_id,
        scores.total_score,
        scores.band,
        scores.grid_cell,
        ntile(10) over (order by scores.total_score desc, scores.lead_id asc) as score_decile,
        profiles.is_converted,
        profiles.is_won,
        case
            when profiles.is_converted
                then {{ elapsed_days('profiles.first_seen_at', 'profiles.converted_at') }}
        end as days_to_convert,
        coalesce(conversions.revenue, 0) as revenue
    from scores
    inner join profiles
        on scores.lead_id = profiles.lead_id
    left join conversions
        on scores.lead_id = conversions.lead_id
),

segmented as (
    select 'all' as segment_type, 'all' as segment, 0 as segment_order, * from scored_leads
    union all
    select
        'band',
        band,
        case band when 'hot' then 1 when 'warm' then 2 else 3 end,
        *
    from scored_leads
    union all
    select 'grid_cell', grid_cell, 0, * from scored_leads
    union all
    select 'score_decile', cast(score_decile as {{ dbt.type_string() }}), score_decile, *
    from scored_leads
),

final as (
    select
        segment_type,
        segment,
        segment_order,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as converted,
        avg(case when is_converted then 1.0 else 0.0 end) as conversion_rate,
        sum(case when is_won then 1 else 0 end) as won,
        percentile_cont(0.5) within group (order by days_to_convert) as median_days_to_convert,
        sum(revenue) as revenue,
        min(total_score) as min_score,
        max(total_score) as max_score
    from segmented
    group by segment_type, segment, segment_order
)

select * from final
