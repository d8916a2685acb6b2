{#- The touchpoint key: md5(source || ':' || source_record_id). -#}
{% macro touchpoint_id(source_column, record_id_column) -%}
    {{ dbt.hash(source_column ~ " || ':' || " ~ record_id_column) }}
{%- endmacro %}
