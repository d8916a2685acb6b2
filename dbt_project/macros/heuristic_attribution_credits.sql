{#- The credit rows of one heuristic attribution model: every touchpoint of every converting
    journey in `journeys` (a CTE of int_attribution__journeys) with `credit_expression`, a SQL
    expression over its columns (touchpoint_rank, touchpoint_count, days_before_end, ...). -#}
{% macro heuristic_attribution_credits(journeys, model_name, credit_expression) -%}
    select
        conversion_id,
        lead_id,
        touchpoint_id,
        channel,
        campaign,
        '{{ model_name }}' as model,
        cast({{ credit_expression }} as {{ type_double() }}) as credit
    from {{ journeys }}
{%- endmacro %}
