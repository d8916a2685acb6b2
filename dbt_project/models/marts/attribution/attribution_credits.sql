{#- One row per conversion, touchpoint of its journey and attribution model; the credits of a
    conversion sum to 1 per model. Heuristic models here; markov and shapley from the Python
    asset attribution/markov_shapley (exact removal effects and Shapley values). -#}
with journeys as (
    select * from {{ ref('int_attribution__journeys') }}
    where is_conversion
),

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

python_credits as (
    select * from {{ ref('stg_attribution__markov_shapley_credits') }}
),

-- time decay: 0.5^(d / 7), d = exact days before the conversion, normalized per conversion
decay_weights as (
    select
        *,
        power(0.5, days_before_end / 7.0) as decay_weight
    from journeys
),

weighted_journeys as (
    select
        *,
        decay_weight / sum(decay_weight) over (partition by conversion_id) as decay_share
    from decay_weights
),

heuristic_credits as (
    {{ heuristic_attribution_credits(
        'weighted_journeys', 'first_touch',
        'case when touchpoint_rank = 1 then 1 else 0 end') }}
    union all
    {{ heuristic_attribution_credits(
        'weighted_journeys', 'last_touch',
        'case when touchpoint_rank = touchpoint_count then 1 else 0 end') }}
    union all
    {{ heuristic_attribution_credits(
        'weighted_journeys', 'linear', '1.0 / touchpoint_count') }}
    union all
    -- 40/20/40; two touchpoints share 50/50, one takes it all
    {{ heuristic_attribution_credits(
        'weighted_journeys', 'position_based',
        'case
            when touchpoint_count = 1 then 1.0
            when touchpoint_count = 2 then 0.5
            when touchpoint_rank = 1 or touchpoint_rank = touchpoint_count then 0.4
            else 0.2 / (touchpoint_count - 2)
        end') }}
    union all
    {{ heuristic_attribution_credits('weighted_journeys', 'time_decay', 'decay_share') }}
),

journey_campaigns as (
    select
        conversion_id,
        touchpoint_id,
        campaign
    from journeys
),

model_credits as (
    select * from heuristic_credits

    union all

    select
        python_credits.conversion_id,
        python_credits.lead_id,
        python_credits.touchpoint_id,
        python_credits.channel,
        journey_campaigns.campaign,
        python_credits.model,
        python_credits.credit
    from python_credits
    left join journey_campaigns
        on python_credits.conversion_id = journey_campaigns.conversion_id
        and python_credits.touchpoint_id = journey_campaigns.touchpoint_id
),

final as (
    select
        model_credits.conversion_id,
        model_credits.lead_id,
        model_credits.touchpoint_id,
        model_credits.channel,
        model_credits.campaign,
        model_credits.model,
        model_credits.credit,
        model_credits.credit * conversions.revenue as attributed_revenue,
        conversions.converted_at
    from model_credits
    inner join conversions
        on model_credits.conversion_id = conversions.conversion_id
)

select * from final
