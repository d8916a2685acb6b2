{#- One row per scored day (lead_score_history, up to the as-of day) and band: leads in the
    band, their share of the day's scored leads and their average score. -#}
with history as (
    select * from {{ ref('lead_score_history') }}
    where date <= cast({{ as_of_timestamp() }} as date)
),

daily_bands as (
    select
        date,
        band,
        count(*) as leads,
        avg(total_score) as average_score
    from history
    group by date, band
),

final as (
    select
        date,
        band,
        leads,
        leads * 1.0 / sum(leads) over (partition by date) as share_of_leads,
        average_score
    from daily_bands
)

select * from final
