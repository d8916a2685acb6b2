{#- Email with surrounding whitespace (spaces, tabs, line breaks) removed, lower-cased; empty -> null. -#}
{% macro normalize_email(column) -%}
    {{ return(adapter.dispatch('normalize_email', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__normalize_email(column) -%}
    nullif(lower(regexp_replace(cast({{ column }} as {{ dbt.type_string() }}), '^\s+|\s+$', '', 'g')), '')
{%- endmacro %}

{#- Spark's regexp_replace replaces every match (no flags argument). -#}
{% macro spark__normalize_email(column) -%}
    nullif(lower(regexp_replace(cast({{ column }} as {{ dbt.type_string() }}), '^\\s+|\\s+$', '')), '')
{%- endmacro %}
