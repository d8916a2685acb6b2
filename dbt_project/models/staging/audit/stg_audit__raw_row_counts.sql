{#-
    Rows per raw table and load, for the ingestion audit. A row counts for the load that
    wrote its current version: dlt's merge replaces a re-delivered key, load id included.
-#}
{%- set entity_tables = [
    ('raw_web', 'web', 'event', 'events'),
    ('raw_email', 'email', 'event', 'events'),
    ('raw_support', 'support', 'ticket', 'tickets'),
    ('raw_support', 'support', 'user', 'users'),
    ('raw_social', 'social', 'form', 'forms'),
    ('raw_social', 'social', 'response', 'responses'),
    ('raw_social', 'social', 'reaction', 'reactions'),
    ('raw_social', 'social', 'comment', 'comments'),
    ('raw_booth', 'booth', 'scan', 'scans'),
    ('raw_crm', 'crm', 'lead', 'leads'),
    ('raw_crm', 'crm', 'opportunity', 'opportunities'),
    ('raw_crm', 'crm', 'task', 'tasks'),
] -%}

with counts as (
    {%- for source_name, channel, entity, table in entity_tables %}
    select
        '{{ channel }}' as source,
        '{{ entity }}' as entity,
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        count(*) as loaded
    from {{ source(source_name, table) }}
    group by _dlt_load_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select * from counts
)

select * from final
