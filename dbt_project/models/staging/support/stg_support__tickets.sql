with source as (
    -- point in time: only the versions written up to the as-of instant
    {{ source_rows_as_of('raw_support', 'tickets', 'updated_at') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as ticket_id,
        cast(requester_id as {{ dbt.type_string() }}) as requester_id,

        -- dimensions
        cast(subject as {{ dbt.type_string() }}) as subject,
        cast(description as {{ dbt.type_string() }}) as description,
        lower(cast(status as {{ dbt.type_string() }})) as status,
        lower(cast(priority as {{ dbt.type_string() }})) as priority,
        lower(cast(type as {{ dbt.type_string() }})) as ticket_type,
        cast(tags as {{ dbt.type_string() }}) as tags,
        lower(cast(via_channel as {{ dbt.type_string() }})) as via_channel,
        lower(cast(satisfaction_score as {{ dbt.type_string() }})) as satisfaction_score,

        -- timestamps
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        cast(generated_timestamp as {{ dbt.type_bigint() }}) as generated_timestamp,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

-- Zendesk re-exports a ticket on every change: the latest generated_timestamp wins,
-- then the latest updated_at, then the later page (file) and row
final as (
    {{ first_version(
        'renamed', 'ticket_id',
        'generated_timestamp desc nulls last, updated_at desc, file desc, position desc'
    ) }}
)

select * from final
