{#-
    `select <every column the source YAML declares> from <source table>`. dlt creates a column
    only once a non-null value (or a `columns=` hint) arrives, so a documented column may be
    absent from a young warehouse: it is selected as a typed null (varchar; staging casts it)
    instead of failing the run. At parse time this is a plain `select *`.
-#}
{% macro select_source_columns(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        select * from {{ relation }}
    {%- else -%}
        {%- set node = graph.sources.values()
            | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name)
            | first -%}
        {%- set existing = adapter.get_columns_in_relation(relation)
            | map(attribute='name') | map('lower') | list -%}
        {%- if node.columns | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "Source " ~ source_name ~ "." ~ table_name ~ " declares no columns in its YAML."
            ) }}
        {%- endif %}
        select
        {%- for column_name in node.columns %}
            {% if column_name | lower in existing -%}
                {{ adapter.quote(column_name) }}
            {%- else -%}
                cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column_name) }}
            {%- endif -%}
            {{ ',' if not loop.last }}
        {%- endfor %}
        from {{ relation }}
    {%- endif -%}
{%- endmacro %}
