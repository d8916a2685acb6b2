with booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
),

-- a badge without email is still a scanned person (a lead of its own without a match)
scan_links as (
    {{ person_record_links('booth_scans', 'booth_scan', 'scan_id', 'email', 'scanned_at') }}
),

final as (
    select
        'booth' as source,
        key_type,
        key_value,
        linked_key_type,
        linked_key_value,
        'profile' as link_kind,
        linked_at
    from scan_links
)

select * from final
