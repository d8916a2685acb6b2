{#- An empty list of strings, typed. -#}
{% macro empty_string_list() -%}
    {{ return(adapter.dispatch('empty_string_list', 'leadscore')()) }}
{%- endmacro %}

{% macro default__empty_string_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{% macro duckdb__empty_string_list() -%}
    cast([] as varchar[])
{%- endmacro %}
