with deliveries as (
    select * from {{ ref('int_ingestion__deliveries') }}
),

rejected as (
    select * from {{ ref('int_ingestion__rejected_rows') }}
),

raw_rows as (
    select * from {{ ref('stg_audit__raw_row_counts') }}
),

delivered_per_load as (
    select
        source,
        entity,
        load_id,
        count(distinct file) as files,
        sum(delivered) as delivered,
        sum(emitted) as emitted,
        sum(suppressed) as suppressed
    from deliveries
    group by source, entity, load_id
),

-- counted in the warehouse, independently of the manifest's own counts
rejected_per_load as (
    select
        source,
        entity,
        load_id,
        sum(case when disposition = 'quarantined' then 1 else 0 end) as quarantined,
        sum(case when disposition = 'filtered' then 1 else 0 end) as filtered
    from rejected
    group by source, entity, load_id
),

keys as (
    select source, entity, load_id from delivered_per_load
    union
    select source, entity, load_id from rejected_per_load
    union
    select source, entity, load_id from raw_rows
),

final as (
    select
        keys.source,
        keys.entity,
        keys.load_id,
        coalesce(delivered_per_load.files, 0) as files,
        coalesce(delivered_per_load.delivered, 0) as delivered,
        coalesce(raw_rows.loaded, 0) as loaded,
        -- emitted rows whose key a row of this or a later load holds (retries, re-exports)
        coalesce(delivered_per_load.emitted, 0) - coalesce(raw_rows.loaded, 0) as deduplicated,
        coalesce(rejected_per_load.quarantined, 0) as quarantined,
        coalesce(rejected_per_load.filtered, 0) as filtered,
        -- records of erased people: dropped on read, or moved here by `leadscore forget`
        coalesce(delivered_per_load.suppressed, 0) as suppressed
    from keys
    left join delivered_per_load
        on keys.source = delivered_per_load.source
        and keys.entity = delivered_per_load.entity
        and keys.load_id = delivered_per_load.load_id
    left join rejected_per_load
        on keys.source = rejected_per_load.source
        and keys.entity = rejected_per_load.entity
        and keys.load_id = rejected_per_load.load_id
    left join raw_rows
        on keys.source = raw_rows.source
        and keys.entity = raw_rows.entity
        and keys.load_id = raw_rows.load_id
)

select * from final
