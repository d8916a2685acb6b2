{#- Exact elapsed days from one timestamp to another: seconds / 86400, microsecond precision. -#}
{% macro elapsed_days(start_column, end_column) -%}
    {{ return(adapter.dispatch('elapsed_days', 'leadscore')(start_column, end_column)) }}
{%- endmacro %}

{% macro default__elapsed_days(start_column, end_column) -%}
    (unix_micros({{ end_column }}) - unix_micros({{ start_column }})) / 86400000000.0
{%- endmacro %}

{% macro duckdb__elapsed_days(start_column, end_column) -%}
    (epoch_us({{ end_column }}) - epoch_us({{ start_column }})) / 86400000000.0
{%- endmacro %}
