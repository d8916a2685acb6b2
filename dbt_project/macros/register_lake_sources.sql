{#-
    The spark engine's sources: each `<schema>.<table>` of the var `lake_tables` (the folders
    of Parquet files under the var `lake_dir`, listed by orchestration: `lake.lake_tables`)
    becomes a table over its folder, refreshed so a new load's files are read. Run as the
    project's on-run-start hook; nothing on DuckDB, whose sources are the warehouse's tables.
-#}
{% macro register_lake_sources() -%}
    {{ return(adapter.dispatch('register_lake_sources', 'leadscore')()) }}
{%- endmacro %}

{% macro default__register_lake_sources() -%}
{%- endmacro %}

{% macro spark__register_lake_sources() -%}
    {%- if execute -%}
        {%- set lake_dir = var('lake_dir', env_var('LEADSCORE_LAKE_DIR', '../data/lake')) -%}
        {%- for table in var('lake_tables', []) -%}
            {%- set schema, name = table.split('.') -%}
            {%- do run_query('create schema if not exists ' ~ schema) -%}
            {%- do run_query(
                'create table if not exists ' ~ schema ~ '.' ~ name ~ ' using parquet location '
                ~ "'" ~ lake_dir ~ '/' ~ schema ~ '/' ~ name ~ "'"
            ) -%}
            {%- do run_query('refresh table ' ~ schema ~ '.' ~ name) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
