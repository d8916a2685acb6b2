{#- The first run of digits in a text, as a bigint ('1,001-5,000' -> 1001), or null. -#}
{% macro first_integer(column) -%}
    {{ return(adapter.dispatch('first_integer', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__first_integer(column) -%}
    cast(nullif(regexp_extract(replace({{ column }}, ',', ''), '([0-9]+)', 1), '') as {{ dbt.type_bigint() }})
{%- endmacro %}
