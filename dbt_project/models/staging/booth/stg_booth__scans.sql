with source as (
    select * from ({{ select_source_columns('raw_booth', 'scans') }}) as raw_rows
    where {{ to_utc_timestamp('scanned_at') }} <= {{ as_of_timestamp() }}
),

renamed as (
    select
        -- ids
        cast(scan_key as {{ dbt.type_string() }}) as scan_id,

        -- dimensions
        cast(event_slug as {{ dbt.type_string() }}) as event_slug,
        {{ normalize_email('email_address') }} as email,
        nullif(trim(cast(first_name as {{ dbt.type_string() }})), '') as first_name,
        nullif(trim(cast(last_name as {{ dbt.type_string() }})), '') as last_name,
        nullif(trim(cast(company as {{ dbt.type_string() }})), '') as company,
        nullif(trim(cast(job_title as {{ dbt.type_string() }})), '') as title,
        nullif(trim(cast(phone as {{ dbt.type_string() }})), '') as phone,
        nullif(trim(cast(country as {{ dbt.type_string() }})), '') as country,
        nullif(trim(cast(scanned_by as {{ dbt.type_string() }})), '') as scanned_by,
        nullif(lower(trim(cast(rating as {{ dbt.type_string() }}))), '') as rating,
        cast(notes as {{ dbt.type_string() }}) as notes,
        cast(q_timeline as {{ dbt.type_string() }}) as answer_timeline,
        cast(q_budget as {{ dbt.type_string() }}) as answer_budget,

        -- timestamps
        {{ to_utc_timestamp('scanned_at') }} as scanned_at,

        -- lineage
        cast(scan_key as {{ dbt.type_string() }}) as source_record_id,
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by scan_id
            order by file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
