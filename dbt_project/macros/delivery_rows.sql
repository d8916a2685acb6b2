{#- The delivery manifest of a channel: every `<resource>_deliveries` table, unioned. -#}
{% macro delivery_rows(source_name, channel, resources) -%}
    {{ union_resource_tables(source_name, channel, resources, '_deliveries', [
        ['file', 'string'], ['entity', 'string'], ['delivered', 'bigint'],
        ['emitted', 'bigint'], ['quarantined', 'bigint'], ['filtered', 'bigint'],
        ['suppressed', 'bigint', 0],
    ]) }}
{%- endmacro %}
