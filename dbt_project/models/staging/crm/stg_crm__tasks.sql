with source as (
    {{ source_rows_as_of('raw_crm', 'tasks', 'coalesce(last_modified_date, created_date)') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as task_id,
        cast(who_id as {{ dbt.type_string() }}) as who_id,

        -- dimensions
        cast(subject as {{ dbt.type_string() }}) as subject,
        {{ nonempty_string('type') }} as task_type,
        cast(status as {{ dbt.type_string() }}) as task_status,

        -- measures
        cast(call_duration_in_seconds as {{ dbt.type_bigint() }}) as call_duration_seconds,

        -- timestamps
        cast(activity_date as date) as activity_date,
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('coalesce(last_modified_date, created_date)') }} as last_modified_at,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version('renamed', 'task_id', 'last_modified_at desc, file desc, position desc') }}
)

select * from final
