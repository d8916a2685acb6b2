with source as (
    -- point in time: only the versions written up to the as-of instant
    {{ source_rows_as_of('raw_crm', 'leads', 'last_modified_date') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as lead_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(converted_opportunity_id as {{ dbt.type_string() }}) as converted_opportunity_id,
        cast(converted_contact_id as {{ dbt.type_string() }}) as converted_contact_id,
        cast(master_record_id as {{ dbt.type_string() }}) as master_record_id,

        -- dimensions
        {{ normalize_email('email') }} as email,
        {{ nonempty_string('first_name') }} as first_name,
        {{ nonempty_string('last_name') }} as last_name,
        {{ nonempty_string('company') }} as company,
        {{ nonempty_string('title') }} as title,
        {{ nonempty_string('industry') }} as industry,
        {{ nonempty_string('country') }} as country,
        {{ nonempty_string('state') }} as state,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source,
        cast(status as {{ dbt.type_string() }}) as lead_status,

        -- measures
        cast(number_of_employees as {{ dbt.type_bigint() }}) as employee_count,
        cast(annual_revenue as {{ dbt.type_float() }}) as annual_revenue,

        -- flags
        coalesce(cast(is_converted as boolean), false) as is_converted,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,

        -- timestamps
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('last_modified_date') }} as last_modified_at,
        cast(converted_date as date) as converted_date,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    -- Salesforce re-exports a record whenever it changes: the latest LastModifiedDate wins
    {{ first_version('renamed', 'lead_id', 'last_modified_at desc, file desc, position desc') }}
)

select * from final
