with source as (
    select * from ({{ select_source_columns('raw_crm', 'tasks') }}) as raw_rows
    where {{ to_utc_timestamp('coalesce(last_modified_date, created_date)') }} <= {{ as_of_timestamp() }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as task_id,
        cast(who_id as {{ dbt.type_string() }}) as who_id,

        -- dimensions
        cast(subject as {{ dbt.type_string() }}) as subject,
        nullif(trim(cast(type as {{ dbt.type_string() }})), '') as task_type,
        cast(status as {{ dbt.type_string() }}) as task_status,

        -- measures
        cast(call_duration_in_seconds as {{ dbt.type_bigint() }}) as call_duration_seconds,

        -- timestamps
        cast(activity_date as date) as activity_date,
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('coalesce(last_modified_date, created_date)') }} as last_modified_at,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by task_id
            order by last_modified_at desc, file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
