with ledger as (
    select * from {{ ref('score_ledger') }}
),

rule_contributions as (
    select
        lead_id,
        rule_id,
        max(case when is_disqualifier then 1 else 0 end) = 1 as is_disqualifier,
        sum(points_effective) as points_effective
    from ledger
    group by lead_id, rule_id
),

reason_texts as (
    select
        lead_id,
        rule_id,
        is_disqualifier,
        points_effective,
        case
            when is_disqualifier then rule_id || ' (disqualified)'
            else rule_id || ' ' || {{ format_points('points_effective') }}
        end as reason_text
    from rule_contributions
),

-- the three largest contributions, a disqualifier always first
final as (
    select
        lead_id,
        {{ dbt.listagg(
            'reason_text',
            "'; '",
            'order by case when is_disqualifier then 0 else 1 end, '
            ~ 'abs(points_effective) desc, rule_id',
            3
        ) }} as top_reasons
    from reason_texts
    group by lead_id
)

select * from final
