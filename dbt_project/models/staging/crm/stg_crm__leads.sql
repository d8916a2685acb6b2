with source as (
    select * from ({{ select_source_columns('raw_crm', 'leads') }}) as raw_rows
    -- point in time: only the versions written up to the as-of instant
    where {{ to_utc_timestamp('last_modified_date') }} <= {{ as_of_timestamp() }}
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
        nullif(trim(cast(first_name as {{ dbt.type_string() }})), '') as first_name,
        nullif(trim(cast(last_name as {{ dbt.type_string() }})), '') as last_name,
        nullif(trim(cast(company as {{ dbt.type_string() }})), '') as company,
        nullif(trim(cast(title as {{ dbt.type_string() }})), '') as title,
        nullif(trim(cast(industry as {{ dbt.type_string() }})), '') as industry,
        nullif(trim(cast(country as {{ dbt.type_string() }})), '') as country,
        nullif(trim(cast(state as {{ dbt.type_string() }})), '') as state,
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
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    -- Salesforce re-exports a record whenever it changes: the latest LastModifiedDate wins
    select
        *,
        row_number() over (
            partition by lead_id
            order by last_modified_at desc, file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
