{#- The domain part of a normalized email (after the last '@'), or null. -#}
{% macro email_domain(column) -%}
    {{ return(adapter.dispatch('email_domain', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__email_domain(column) -%}
    nullif(regexp_extract({{ column }}, '@([^@]+)$', 1), '')
{%- endmacro %}
