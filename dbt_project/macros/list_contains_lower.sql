{#- True when a lower-cased list of strings (`lower_list`) holds `value`, ignoring its case. -#}
{% macro list_contains_lower(list_column, value) -%}
    {{ return(adapter.dispatch('list_contains_lower', 'leadscore')(list_column, value)) }}
{%- endmacro %}

{% macro default__list_contains_lower(list_column, value) -%}
    array_contains({{ list_column }}, lower({{ value }}))
{%- endmacro %}

{% macro duckdb__list_contains_lower(list_column, value) -%}
    list_contains({{ list_column }}, lower({{ value }}))
{%- endmacro %}
