{#- Point in time: the rows of a raw source table (every declared column, see
    `select_source_columns`) whose `timestamp_column` is at or before the as-of instant. -#}
{% macro source_rows_as_of(source_name, table_name, timestamp_column) -%}
    select * from ({{ select_source_columns(source_name, table_name) }}) as raw_rows
    where {{ to_utc_timestamp(timestamp_column) }} <= {{ as_of_timestamp() }}
{%- endmacro %}
