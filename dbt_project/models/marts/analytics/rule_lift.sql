{#- One row per scoring rule that gave points: the leads it hit before they converted (any
    time for leads not converted; fit rules are timeless), their conversion rate and its
    lift over the base rate of every lead. -#}
with ledger as (
    select * from {{ ref('score_ledger') }}
),

profiles as (
    select * from {{ ref('lead_profiles') }}
),

rule_hits as (
    select
        lead_id,
        occurred_at,
        rule_id,
        rule_kind,
        rule_description
    from ledger
),

lift as (
    {{ conversion_lift('rule_hits', 'profiles', ['rule_id', 'rule_kind', 'rule_description']) }}
),

final as (select * from lift)

select * from final
