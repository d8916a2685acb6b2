{#-
    Unions one table per dlt resource of a raw dataset (`<resource><suffix>`, e.g.
    `events_rejected`) into `source, resource, <columns>, load_id`. dlt creates such a table
    only once it has a row, so a table absent from the warehouse contributes no rows
    (checked with `adapter.get_relation` at run time) instead of failing the run.
    `columns` is a list of [name, kind] pairs, kind `string` or `bigint`; a third element is
    the value of a column added later (e.g. `suppressed`) for a table dlt created before it.
-#}
{% macro union_resource_tables(source_name, channel, resources, suffix, columns) -%}
    {%- set types = {'string': dbt.type_string(), 'bigint': dbt.type_bigint()} -%}
    {%- set selects = [] -%}
    {%- for resource in resources -%}
        {%- set relation = source(source_name, resource ~ suffix) -%}
        {%- set exists = true -%}
        {%- if execute -%}
            {%- set exists = adapter.get_relation(
                database=relation.database,
                schema=relation.schema,
                identifier=relation.identifier,
            ) is not none -%}
        {%- endif -%}
        {%- if exists -%}
            {%- set present = [] -%}
            {%- if execute -%}
                {%- for column in adapter.get_columns_in_relation(relation) -%}
                    {%- do present.append(column.name | lower) -%}
                {%- endfor -%}
            {%- endif -%}
            {%- set casts = [] -%}
            {%- for column in columns -%}
                {%- set name, kind = column[0], column[1] -%}
                {%- set value = name -%}
                {%- if column | length > 2 and execute and name not in present -%}
                    {%- set value = column[2] -%}
                {%- elif column | length > 2 -%}
                    {%- set value = "coalesce(" ~ name ~ ", " ~ column[2] ~ ")" -%}
                {%- endif -%}
                {%- do casts.append("cast(" ~ value ~ " as " ~ types[kind] ~ ") as " ~ name) -%}
            {%- endfor -%}
            {%- do selects.append(
                "select '" ~ channel ~ "' as source, '" ~ resource ~ "' as resource, "
                ~ casts | join(', ')
                ~ ", cast(_dlt_load_id as " ~ dbt.type_string() ~ ") as load_id from " ~ relation
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if selects | length == 0 -%}
        select
            cast(null as {{ dbt.type_string() }}) as source,
            cast(null as {{ dbt.type_string() }}) as resource,
            {%- for column in columns %}
            cast(null as {{ types[column[1]] }}) as {{ column[0] }},
            {%- endfor %}
            cast(null as {{ dbt.type_string() }}) as load_id
        where 1 = 0
    {%- else -%}
        {{ selects | join('\nunion all\n') }}
    {%- endif -%}
{%- endmacro %}
