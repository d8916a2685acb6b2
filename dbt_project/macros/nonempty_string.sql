{#- A raw text value trimmed, an empty one as null. -#}
{% macro nonempty_string(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
