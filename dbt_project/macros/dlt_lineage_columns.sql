{#- The lineage columns of a staged raw row: the dlt load that wrote it, and the landing
    file and row position it came from (the last items of a staging select list). -#}
{% macro dlt_lineage_columns() -%}
    cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
{%- endmacro %}
