{#- One row per channel and attribution model: conversions = the sum of the channel's credits,
    revenue = the sum of credit x conversion revenue; removal_effect for markov only (a channel
    seen only in non-converting journeys has a markov row with 0 conversions). -#}
with credits as (
    select * from {{ ref('attribution_credits') }}
),

removal_effects as (
    select * from {{ ref('stg_attribution__markov_removal_effects') }}
),

channel_credits as (
    select
        channel,
        model,
        sum(credit) as conversions,
        sum(attributed_revenue) as revenue
    from credits
    group by channel, model
),

markov_channels as (
    select
        removal_effects.channel,
        'markov' as model,
        coalesce(channel_credits.conversions, 0) as conversions,
        coalesce(channel_credits.revenue, 0) as revenue,
        removal_effects.removal_effect
    from removal_effects
    left join channel_credits
        on removal_effects.channel = channel_credits.channel
        and channel_credits.model = 'markov'
),

other_channels as (
    select
        channel,
        model,
        conversions,
        revenue,
        cast(null as {{ type_double() }}) as removal_effect
    from channel_credits
    where model <> 'markov'
),

final as (
    select * from markov_channels
    union all
    select * from other_channels
)

select * from final
