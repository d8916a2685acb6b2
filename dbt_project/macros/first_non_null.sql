{#- Aggregate: the first non-null value of `column` in the order `order_by` (survivorship). -#}
{% macro first_non_null(column, order_by) -%}
    {{ return(adapter.dispatch('first_non_null', 'leadscore')(column, order_by)) }}
{%- endmacro %}

{% macro default__first_non_null(column, order_by) -%}
    (array_agg({{ column }} order by {{ order_by }}) filter (where {{ column }} is not null))[1]
{%- endmacro %}
