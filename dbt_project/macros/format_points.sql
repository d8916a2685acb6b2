{#- Points as signed text with two decimals: 20 -> '+20.00', -5 -> '-5.00'. -#}
{% macro format_points(column) -%}
    {{ return(adapter.dispatch('format_points', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__format_points(column) -%}
    case when {{ column }} >= 0 then '+' else '' end || format_number({{ column }}, 2)
{%- endmacro %}

{% macro duckdb__format_points(column) -%}
    printf('%+.2f', {{ column }})
{%- endmacro %}
