{#- The rows of `relation` that win their exclusive group: per `entity_column` (a lead for
    fit rules, a touchpoint for engagement rules) and `exclusive_group`, only the rule with the
    lowest priority (nulls last, then the lowest rule_id); a row without a group always wins.
    `relation` has the columns exclusive_group, priority and rule_id; the select adds
    group_rank (always 1). -#}
{% macro exclusive_group_winners(relation, entity_column) -%}
    select * from (
        select
            *,
            case
                when exclusive_group is null then 1
                else row_number() over (
                    partition by {{ entity_column }}, exclusive_group
                    order by priority nulls last, rule_id
                )
            end as group_rank
        from {{ relation }}
    ) as ranked
    where group_rank = 1
{%- endmacro %}
