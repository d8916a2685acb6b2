{#-
    Unions `relations` by column NAME into `columns`, a list of [name, kind] pairs in output
    order (kind `string`, `bigint`, `float` or `timestamp`): a relation without one of the
    columns contributes a typed null for it. The column list is the union's contract, declared
    once in the unioned model, so the SQL does not depend on what the warehouse holds at
    compile time. A relation that already exists with a column outside the contract is a
    compile error (a misspelt column would otherwise become a silent null).
-#}
{% macro union_by_name(relations, columns) -%}
    {%- set names = columns | map('first') | list -%}
    {%- if execute -%}
        {%- for relation in relations -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- if column.name | lower not in names -%}
                    {{ exceptions.raise_compiler_error(
                        relation ~ " has the column " ~ column.name ~ ", which the union "
                        ~ this ~ " does not declare: add it to the union's columns or drop it"
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set types = {
        'string': dbt.type_string(),
        'bigint': dbt.type_bigint(),
        'float': dbt.type_float(),
        'timestamp': dbt.type_timestamp(),
    } -%}
    {%- set typed_columns = [] -%}
    {%- for name, kind in columns -%}
        {%- do typed_columns.append([name, types[kind]]) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('union_by_name', 'leadscore')(relations, typed_columns)) }}
{%- endmacro %}

{#- DuckDB pads by name itself (`union all by name`); the outer select pins order and types. -#}
{% macro duckdb__union_by_name(relations, typed_columns) -%}
    select
        {%- for name, sql_type in typed_columns %}
        cast({{ name }} as {{ sql_type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        {%- for relation in relations %}
        select * from {{ relation }}
        {%- if not loop.last %}
        union all by name
        {%- endif -%}
        {%- endfor %}
    ) as unioned_by_name
{%- endmacro %}

{#- Elsewhere each relation's columns are read from the warehouse (built before the union). -#}
{% macro default__union_by_name(relations, typed_columns) -%}
    {%- for relation in relations %}
        {%- set present = [] -%}
        {%- if execute -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
            {%- if present | length == 0 -%}
                {{ exceptions.raise_compiler_error(relation ~ " must be built before " ~ this) }}
            {%- endif -%}
        {%- endif %}
    select
        {%- for name, sql_type in typed_columns %}
        cast({{ name if name in present else "null" }} as {{ sql_type }})
            as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- endfor %}
{%- endmacro %}
