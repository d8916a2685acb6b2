{#-
    Fails with one row (`column_name`, `null_rows`) per listed column that has nulls: one
    scan of the model for all of them, where a column-level `not_null` scans it once per
    column (and re-runs a view's whole query each time). `where`, `severity` and `limit`
    work as on any generic test (dbt wraps `model` in the `where` filter); the failure count
    that `error_if` / `warn_if` compare is the number of null values over all the columns
    (for one column, what `not_null` counts), not the number of failing rows.
-#}
{% test not_null_columns(model, columns) %}
{{ config(fail_calc='coalesce(sum(null_rows), 0)') }}
with null_counts as (
    select
        {%- for column in columns %}
        count(case when {{ column }} is null then 1 end) as null_rows_{{ loop.index }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
),

column_names as (
    {%- for column in columns %}
    {% if not loop.first %}union all {% endif %}select '{{ column }}' as column_name
    {%- endfor %}
),

per_column as (
    select
        column_names.column_name,
        case column_names.column_name
            {%- for column in columns %}
            when '{{ column }}' then null_counts.null_rows_{{ loop.index }}
            {%- endfor %}
        end as null_rows
    from null_counts
    cross join column_names
)

select
    column_name,
    null_rows
from per_column
where null_rows > 0
{% endtest %}
