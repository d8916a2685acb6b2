-- A failure means rows went missing between reading a landing file and the warehouse:
-- a load's delivered records are not all loaded, deduplicated, quarantined, filtered or
-- suppressed (erased people),
-- or a raw table holds more rows for a load than ingestion emitted.
with audit as (
    select * from {{ ref('ingestion_audit') }}
),

final as (
    select *
    from audit
    where delivered != loaded + deduplicated + quarantined + filtered + suppressed
        or deduplicated < 0
)

select * from final
