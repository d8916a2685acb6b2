{#- A table, not a view: its dedup window (`first_version`) would otherwise be recomputed in
    every plan that reads it (sessions, touchpoints, identity links, profiles, fuzzy matching). -#}
{{ config(materialized='table') }}

with source as (
    -- point in time: nothing that happened after the as-of instant
    {{ source_rows_as_of('raw_web', 'events', 'timestamp') }}
),

renamed as (
    select
        -- ids
        cast(message_id as {{ dbt.type_string() }}) as event_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,

        -- event
        lower(cast(type as {{ dbt.type_string() }})) as event_type,
        cast(event as {{ dbt.type_string() }}) as event_name,
        cast(page_path as {{ dbt.type_string() }}) as page_path,
        cast(page_url as {{ dbt.type_string() }}) as page_url,
        cast(page_title as {{ dbt.type_string() }}) as page_title,
        cast(page_referrer as {{ dbt.type_string() }}) as page_referrer,
        {{ url_host('page_referrer') }} as referrer_host,
        cast(chat_topic as {{ dbt.type_string() }}) as chat_topic,

        -- campaign (UTM)
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        nullif(lower(trim(cast(campaign_source as {{ dbt.type_string() }}))), '')
            as campaign_source,
        nullif(lower(trim(cast(campaign_medium as {{ dbt.type_string() }}))), '')
            as campaign_medium,
        cast(campaign_term as {{ dbt.type_string() }}) as campaign_term,
        cast(campaign_content as {{ dbt.type_string() }}) as campaign_content,

        -- context
        cast(ip as {{ dbt.type_string() }}) as ip,
        cast(user_agent as {{ dbt.type_string() }}) as user_agent,

        -- identify traits
        {{ normalize_email('trait_email') }} as trait_email,
        cast(trait_first_name as {{ dbt.type_string() }}) as trait_first_name,
        cast(trait_last_name as {{ dbt.type_string() }}) as trait_last_name,
        cast(trait_title as {{ dbt.type_string() }}) as trait_title,
        cast(trait_phone as {{ dbt.type_string() }}) as trait_phone,
        cast(trait_country as {{ dbt.type_string() }}) as trait_country,
        cast(trait_company_name as {{ dbt.type_string() }}) as trait_company_name,
        cast(trait_company_industry as {{ dbt.type_string() }}) as trait_company_industry,
        cast(trait_company_employee_count as {{ dbt.type_bigint() }})
            as trait_company_employee_count,
        cast(trait_company_annual_revenue as {{ dbt.type_float() }})
            as trait_company_annual_revenue,

        -- timestamps
        {{ to_utc_timestamp('timestamp') }} as occurred_at,
        {{ to_utc_timestamp('received_at') }} as received_at,
        {{ to_utc_timestamp('sent_at') }} as sent_at,

        -- lineage
        cast(message_id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

-- dlt merges on message_id already; the rank guards a table loaded without merge
final as (
    {{ first_version(
        'renamed', 'event_id',
        'received_at desc nulls last, file desc, position desc'
    ) }}
)

select * from final
