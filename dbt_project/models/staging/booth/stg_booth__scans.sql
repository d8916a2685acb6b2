with source as (
    {{ source_rows_as_of('raw_booth', 'scans', 'scanned_at') }}
),

renamed as (
    select
        -- ids
        cast(scan_key as {{ dbt.type_string() }}) as scan_id,

        -- dimensions
        cast(event_slug as {{ dbt.type_string() }}) as event_slug,
        {{ normalize_email('email_address') }} as email,
        {{ nonempty_string('first_name') }} as first_name,
        {{ nonempty_string('last_name') }} as last_name,
        {{ nonempty_string('company') }} as company,
        {{ nonempty_string('job_title') }} as title,
        {{ nonempty_string('phone') }} as phone,
        {{ nonempty_string('country') }} as country,
        {{ nonempty_string('scanned_by') }} as scanned_by,
        nullif(lower(trim(cast(rating as {{ dbt.type_string() }}))), '') as rating,
        cast(notes as {{ dbt.type_string() }}) as notes,
        cast(q_timeline as {{ dbt.type_string() }}) as answer_timeline,
        cast(q_budget as {{ dbt.type_string() }}) as answer_budget,

        -- timestamps
        {{ to_utc_timestamp('scanned_at') }} as scanned_at,

        -- lineage
        cast(scan_key as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version('renamed', 'scan_id') }}
)

select * from final
