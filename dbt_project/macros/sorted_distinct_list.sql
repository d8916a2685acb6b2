{#- Aggregate: the distinct non-null values of `column` as a sorted list (empty list when none). -#}
{% macro sorted_distinct_list(column) -%}
    {{ return(adapter.dispatch('sorted_distinct_list', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__sorted_distinct_list(column) -%}
    array_sort(collect_set({{ column }}))
{%- endmacro %}

{% macro duckdb__sorted_distinct_list(column) -%}
    coalesce(list_sort(list(distinct {{ column }}) filter (where {{ column }} is not null)), [])
{%- endmacro %}
