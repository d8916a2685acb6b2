with rejected as (
    select * from {{ ref('int_ingestion__rejected_rows') }}
),

-- filtered rows are counted exclusions (test records, unsupported kinds), not faults
final as (
    select
        {{ dbt.hash(
            "source || ':' || resource || ':' || file || ':' || entity || ':' || cast(position as "
            ~ dbt.type_string() ~ ")"
        ) }} as quarantine_id,
        source,
        resource,
        entity,
        file,
        position,
        reason,
        raw,
        load_id
    from rejected
    where disposition = 'quarantined'
)

select * from final
