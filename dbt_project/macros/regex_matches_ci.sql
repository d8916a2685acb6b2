{#- True when `value` matches the regular expression `pattern`, ignoring case. -#}
{% macro regex_matches_ci(value, pattern) -%}
    {{ return(adapter.dispatch('regex_matches_ci', 'leadscore')(value, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches_ci(value, pattern) -%}
    {{ value }} rlike concat('(?i)', {{ pattern }})
{%- endmacro %}

{% macro duckdb__regex_matches_ci(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }}, 'i')
{%- endmacro %}
