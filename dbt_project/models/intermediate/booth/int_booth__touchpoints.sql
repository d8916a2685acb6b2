with booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
),

final as (
    select
        'booth' as source,
        'event' as channel,
        'booth_scan' as activity,
        scanned_at as occurred_at,
        event_slug as campaign,
        source_record_id,
        load_id,
        'booth_scan' as identity_key_type,
        scan_id as identity_key_value,
        rating as detail
    from booth_scans
)

select * from final
