{#- Window: the number of distinct non-null values of `column` in its `partition_by` group. -#}
{% macro count_distinct_over(column, partition_by) -%}
    {{ return(adapter.dispatch('count_distinct_over', 'leadscore')(column, partition_by)) }}
{%- endmacro %}

{% macro default__count_distinct_over(column, partition_by) -%}
    count(distinct {{ column }}) over (partition by {{ partition_by }})
{%- endmacro %}

{#- Spark has no distinct window aggregate: the size of the set (collect_set skips nulls). -#}
{% macro spark__count_distinct_over(column, partition_by) -%}
    size(collect_set({{ column }}) over (partition by {{ partition_by }}))
{%- endmacro %}
