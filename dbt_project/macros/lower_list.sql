{#- A list of strings, every element lower-cased: for the rule tables' lists, lower-cased once
    in staging so that matching a row (`list_contains_lower`) does not lower-case them again. -#}
{% macro lower_list(list_column) -%}
    {{ return(adapter.dispatch('lower_list', 'leadscore')(list_column)) }}
{%- endmacro %}

{% macro default__lower_list(list_column) -%}
    transform({{ list_column }}, x -> lower(x))
{%- endmacro %}

{% macro duckdb__lower_list(list_column) -%}
    list_transform({{ list_column }}, lambda x: lower(x))
{%- endmacro %}
