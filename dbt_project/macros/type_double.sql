{#- An 8-byte float type. dbt.type_float() is a 4-byte `float` on DuckDB: too coarse for
    credits that must sum to 1 within 1e-9. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'leadscore')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{#- Spark SQL has no `double precision`; its `double` is the 8-byte float. -#}
{% macro spark__type_double() -%}
    double
{%- endmacro %}
