-- A failure means a conversion's credits under one model do not add up to the conversion:
-- every model must hand out exactly 1 per conversion over the touchpoints of its journey.
with credits as (
    select * from {{ ref('attribution_credits') }}
),

totals as (
    select
        conversion_id,
        model,
        sum(credit) as total_credit
    from credits
    group by conversion_id, model
)

select * from totals
where abs(total_credit - 1) > 1e-9
