with booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
),

-- a badge without email is still a scanned person (a lead of its own without a match)
final as (
    {{ person_record_links(
        'booth_scans', 'booth', 'booth_scan', 'scan_id', 'email', 'scanned_at'
    ) }}
)

select * from final
