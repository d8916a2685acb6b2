{#- Aggregate: the first non-null value of `column` in the order `order_by` (survivorship). -#}
{% macro first_non_null(column, order_by) -%}
    {{ return(adapter.dispatch('first_non_null', 'leadscore')(column, order_by)) }}
{%- endmacro %}

{% macro default__first_non_null(column, order_by) -%}
    (array_agg({{ column }} order by {{ order_by }}) filter (where {{ column }} is not null))[1]
{%- endmacro %}

{#- Spark has no ordered aggregate: the first of `spark_sorted_values`. -#}
{% macro spark__first_non_null(column, order_by) -%}
    try_element_at(
        {{ spark_sorted_values(column, order_by, column ~ ' is not null') }}, 1
    ).v
{%- endmacro %}

{#- Spark: the `(k1, ..., v)` structs of a group's rows that pass `condition`, sorted by a
    comparator spelling `order_by` (keys `expr [asc|desc]` separated by commas outside
    parentheses; nulls last, as DuckDB's default). An aggregate, like collect_list. -#}
{% macro spark_sorted_values(column, order_by, condition='true') -%}
    {%- set state = namespace(depth=0, part='', parts=[]) -%}
    {%- for character in order_by -%}
        {%- if character == ',' and state.depth == 0 -%}
            {%- set state.parts = state.parts + [state.part] -%}
            {%- set state.part = '' -%}
        {%- else -%}
            {%- if character == '(' -%}{%- set state.depth = state.depth + 1 -%}{%- endif -%}
            {%- if character == ')' -%}{%- set state.depth = state.depth - 1 -%}{%- endif -%}
            {%- set state.part = state.part ~ character -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set keys = [] -%}
    {%- for part in state.parts + [state.part] -%}
        {%- set words = part.strip().split(' ') -%}
        {%- set is_desc = words[-1] | lower == 'desc' -%}
        {%- set expression = (words[:-1] if words[-1] | lower in ('asc', 'desc') else words) | join(' ') -%}
        {%- do keys.append((expression, is_desc)) -%}
    {%- endfor -%}
    array_sort(
        collect_list(struct(
            {%- for expression, is_desc in keys %}
            {{ expression }} as k{{ loop.index }},
            {%- endfor %}
            {{ column }} as v
        )) filter (where {{ condition }}),
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
    )
{%- endmacro %}
