{#- One row per campaign, channel and attribution model: the credits of the touchpoints that
    carried the campaign (`(no campaign)` when a touchpoint has none). -#}
with credits as (
    select * from {{ ref('attribution_credits') }}
),

final as (
    select
        coalesce(campaign, '(no campaign)') as campaign,
        channel,
        model,
        sum(credit) as conversions,
        sum(attributed_revenue) as revenue
    from credits
    group by coalesce(campaign, '(no campaign)'), channel, model
)

select * from final
