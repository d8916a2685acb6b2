{#-
    The rejected rows of a channel: every `<resource>_rejected` table of dbt source
    `source_name`, unioned into source, resource, entity, file, position, disposition,
    reason, raw, load_id. dlt creates a `_rejected` table only once a row was rejected,
    so a table missing from the warehouse contributes no rows instead of failing the run.
-#}
{% macro rejected_rows(source_name, channel, resources) -%}
    {%- set selects = [] -%}
    {%- for resource in resources -%}
        {%- set relation = source(source_name, resource ~ '_rejected') -%}
        {%- set exists = true -%}
        {%- if execute -%}
            {%- set exists = adapter.get_relation(
                database=relation.database,
                schema=relation.schema,
                identifier=relation.identifier,
            ) is not none -%}
        {%- endif -%}
        {%- if exists -%}
            {%- do selects.append(
                "select '" ~ channel ~ "' as source, '" ~ resource ~ "' as resource, "
                ~ "cast(entity as " ~ dbt.type_string() ~ ") as entity, "
                ~ "cast(file as " ~ dbt.type_string() ~ ") as file, "
                ~ "cast(position as " ~ dbt.type_bigint() ~ ") as position, "
                ~ "cast(disposition as " ~ dbt.type_string() ~ ") as disposition, "
                ~ "cast(reason as " ~ dbt.type_string() ~ ") as reason, "
                ~ "cast(raw as " ~ dbt.type_string() ~ ") as raw, "
                ~ "cast(_dlt_load_id as " ~ dbt.type_string() ~ ") as load_id "
                ~ "from " ~ relation
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if selects | length == 0 -%}
        select
            cast(null as {{ dbt.type_string() }}) as source,
            cast(null as {{ dbt.type_string() }}) as resource,
            cast(null as {{ dbt.type_string() }}) as entity,
            cast(null as {{ dbt.type_string() }}) as file,
            cast(null as {{ dbt.type_bigint() }}) as position,
            cast(null as {{ dbt.type_string() }}) as disposition,
            cast(null as {{ dbt.type_string() }}) as reason,
            cast(null as {{ dbt.type_string() }}) as raw,
            cast(null as {{ dbt.type_string() }}) as load_id
        where 1 = 0
    {%- else -%}
        {{ selects | join('\nunion all\n') }}
    {%- endif -%}
{%- endmacro %}
