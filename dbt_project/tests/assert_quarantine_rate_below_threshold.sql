{{ config(severity='warn') }}
-- A warning means a source's latest load quarantined more than `quarantine_rate_max`
-- (LEADSCORE_QUARANTINE_RATE_MAX) of the records it delivered: look at quarantine.quarantine.
with audit as (
    select * from {{ ref('ingestion_audit') }}
),

latest_loads as (
    select
        source,
        max(load_id) as load_id
    from audit
    where delivered > 0
    group by source
),

rates as (
    select
        audit.source,
        audit.load_id,
        sum(audit.quarantined) as quarantined,
        sum(audit.delivered) as delivered
    from audit
    inner join latest_loads
        on audit.source = latest_loads.source
        and audit.load_id = latest_loads.load_id
    group by audit.source, audit.load_id
),

final as (
    select
        *,
        quarantined * 1.0 / delivered as quarantine_rate
    from rates
    where quarantined * 1.0 / delivered > {{ var('quarantine_rate_max') }}
)

select * from final
