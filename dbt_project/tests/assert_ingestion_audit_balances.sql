-- A failure means rows went missing between reading a landing file and the warehouse:
-- a load's delivered records are not all loaded, deduplicated, quarantined or filtered,
-- or a raw table holds more rows for a load than ingestion emitted.
with audit as (
    select * from {{ ref('ingestion_audit') }}
),

final as (
    select *
    from audit
    where delivered != loaded + deduplicated + quarantined + filtered
        or deduplicated < 0
)

select * from final
