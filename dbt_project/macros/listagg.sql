{#- dbt's `listagg` on Spark, in its order: dbt-spark's own ignores `order_by_clause` (with a
    warning), which would make e.g. `top_reasons` any three reasons. The project's dispatch
    config (`dbt_project.yml`) looks here before dbt's. Nulls are skipped, as listagg does. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set sorted = spark_sorted_values(
        measure,
        order_by_clause | replace('order by ', '', 1),
        measure ~ ' is not null',
    ) -%}
    {%- set values = 'transform(' ~ sorted ~ ', x -> x.v)' -%}
    array_join(
        {{ 'slice(' ~ values ~ ', 1, ' ~ limit_num ~ ')' if limit_num else values }},
        {{ delimiter_text }}
    )
{%- endmacro %}
