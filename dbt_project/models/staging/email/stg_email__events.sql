{#- A table, not a view: its dedup window (`first_version`) would otherwise be recomputed in
    every plan that reads it (touchpoints, identity links and keys, fuzzy matching). -#}
{{ config(materialized='table') }}

with source as (
    {{ source_rows_as_of('raw_email', 'events', 'timestamp') }}
),

renamed as (
    select
        -- ids
        cast(sg_event_id as {{ dbt.type_string() }}) as event_id,
        cast(sg_message_id as {{ dbt.type_string() }}) as message_id,
        cast(smtp_id as {{ dbt.type_string() }}) as smtp_id,
        cast(marketing_campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- dimensions
        {{ normalize_email('email') }} as email,
        lower(trim(cast(event as {{ dbt.type_string() }}))) as event_type,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(url as {{ dbt.type_string() }}) as click_url,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(bounce_type as {{ dbt.type_string() }}) as bounce_type,
        cast(marketing_campaign_name as {{ dbt.type_string() }}) as campaign_name,

        -- flags
        coalesce(cast(is_event_id_derived as boolean), false) as is_event_id_derived,
        coalesce(cast(is_machine_open as boolean), false) as is_machine_open,

        -- timestamps
        {{ to_utc_timestamp('timestamp') }} as occurred_at,

        -- lineage
        cast(sg_event_id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version('renamed', 'event_id') }}
)

select * from final
