{#- The rejected rows of a channel: every `<resource>_rejected` table, unioned. -#}
{% macro rejected_rows(source_name, channel, resources) -%}
    {{ union_resource_tables(source_name, channel, resources, '_rejected', [
        ['entity', 'string'], ['file', 'string'], ['position', 'bigint'],
        ['disposition', 'string'], ['reason', 'string'], ['raw', 'string'],
    ]) }}
{%- endmacro %}
