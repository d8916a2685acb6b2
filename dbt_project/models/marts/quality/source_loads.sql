{#- Each source's loads, newest first, with the shares a broken feed moves. -#}
with audit as (
    select * from {{ ref('ingestion_audit') }}
),

per_load as (
    select
        source,
        load_id,
        sum(files) as files,
        sum(delivered) as delivered,
        sum(loaded) as loaded,
        sum(deduplicated) as deduplicated,
        sum(quarantined) as quarantined,
        sum(filtered) as filtered
    from audit
    group by source, load_id
),

final as (
    select
        source,
        load_id,
        files,
        delivered,
        loaded,
        deduplicated,
        quarantined,
        filtered,
        case when delivered > 0 then quarantined * 1.0 / delivered end as quarantine_share,
        case when delivered > 0 then deduplicated * 1.0 / delivered end as duplicate_share,
        -- dlt load ids are Unix seconds: newer loads sort later
        row_number() over (
            partition by source
            order by cast(load_id as {{ dbt.type_float() }}) desc
        ) as load_rank
    from per_load
)

select * from final
