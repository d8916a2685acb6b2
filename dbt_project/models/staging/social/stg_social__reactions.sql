with source as (
    -- point in time: only the versions written up to the as-of instant
    {{ source_rows_as_of('raw_social', 'reactions', 'coalesce(last_modified_at, created_at)') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as reaction_id,
        cast(actor as {{ dbt.type_string() }}) as actor_urn,
        cast(root as {{ dbt.type_string() }}) as root_urn,

        -- dimensions
        upper(cast(reaction_type as {{ dbt.type_string() }})) as reaction_type,

        -- timestamps
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('coalesce(last_modified_at, created_at)') }} as last_modified_at,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    -- a changed reaction keeps its id: the latest lastModified wins
    {{ first_version('renamed', 'reaction_id', 'last_modified_at desc, file desc, position desc') }}
)

select * from final
