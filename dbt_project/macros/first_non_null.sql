{#- Aggregate: the first non-null value of `column` in the order `order_by` (survivorship). -#}
{% macro first_non_null(column, order_by) -%}
    {{ return(adapter.dispatch('first_non_null', 'leadscore')(column, order_by)) }}
{%- endmacro %}

{% macro default__first_non_null(column, order_by) -%}
    (array_agg({{ column }} order by {{ order_by }}) filter (where {{ column }} is not null))[1]
{%- endmacro %}

{#- Spark has no ordered aggregate: the non-null values with their sort keys, sorted by a
    comparator spelling `order_by` (each key `expr [desc]`, nulls last as DuckDB's default),
    then the first. -#}
{% macro spark__first_non_null(column, order_by) -%}
    {%- set keys = [] -%}
    {%- for part in order_by.split(',') -%}
        {%- set words = part.strip().split(' ') -%}
        {%- set is_desc = words[-1] | lower == 'desc' -%}
        {%- set expression = (words[:-1] if words[-1] | lower in ('asc', 'desc') else words) | join(' ') -%}
        {%- do keys.append((expression, is_desc)) -%}
    {%- endfor -%}
    try_element_at(array_sort(
        collect_list(struct(
            {%- for expression, is_desc in keys %}
            {{ expression }} as k{{ loop.index }},
            {%- endfor %}
            {{ column }} as v
        )) filter (where {{ column }} is not null),
        (l, r) -> case
            {%- for expression, is_desc in keys %}
            {%- set k = 'k' ~ loop.index %}
            when l.{{ k }} is null and r.{{ k }} is not null then 1
            when l.{{ k }} is not null and r.{{ k }} is null then -1
            when l.{{ k }} < r.{{ k }} then {{ 1 if is_desc else -1 }}
            when l.{{ k }} > r.{{ k }} then {{ -1 if is_desc else 1 }}
            {%- endfor %}
            else 0
        end
    ), 1).v
{%- endmacro %}
