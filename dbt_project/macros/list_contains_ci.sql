{#- True when the string list `list_column` holds `value`, ignoring case. -#}
{% macro list_contains_ci(list_column, value) -%}
    {{ return(adapter.dispatch('list_contains_ci', 'leadscore')(list_column, value)) }}
{%- endmacro %}

{% macro default__list_contains_ci(list_column, value) -%}
    array_contains(transform({{ list_column }}, x -> lower(x)), lower({{ value }}))
{%- endmacro %}

{% macro duckdb__list_contains_ci(list_column, value) -%}
    list_contains(list_transform({{ list_column }}, lambda x: lower(x)), lower({{ value }}))
{%- endmacro %}
