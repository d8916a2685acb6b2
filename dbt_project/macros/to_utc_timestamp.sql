{#- A timestamp (with or without time zone) as a UTC `timestamp` without time zone. -#}
{#- The profile pins the session TimeZone to UTC, so a plain cast yields UTC wall time. -#}
{% macro to_utc_timestamp(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
