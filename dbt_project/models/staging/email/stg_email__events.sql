with source as (
    select * from ({{ select_source_columns('raw_email', 'events') }}) as raw_rows
    where {{ to_utc_timestamp('timestamp') }} <= {{ as_of_timestamp() }}
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
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by event_id
            order by file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
