{#- The last microsecond of a date's day, as a timestamp (23:59:59.999999). -#}
{% macro end_of_day(date_column) -%}
    {{ dbt.dateadd('microsecond', -1, dbt.dateadd('day', 1, 'cast(' ~ date_column ~ ' as ' ~ dbt.type_timestamp() ~ ')')) }}
{%- endmacro %}
