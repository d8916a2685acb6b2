with source as (
    -- point in time: only the versions written up to the as-of instant
    {{ source_rows_as_of('raw_social', 'comments', 'coalesce(last_modified_at, created_at)') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as comment_id,
        cast(comment_urn as {{ dbt.type_string() }}) as comment_urn,
        cast(actor as {{ dbt.type_string() }}) as actor_urn,
        cast(object as {{ dbt.type_string() }}) as object_urn,

        -- dimensions
        cast(message_text as {{ dbt.type_string() }}) as message_text,

        -- timestamps
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('coalesce(last_modified_at, created_at)') }} as last_modified_at,

        -- lineage: the contract traces a comment by its commentUrn
        cast(coalesce(comment_urn, id) as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    -- an edited comment keeps its id: the latest lastModified wins
    {{ first_version('renamed', 'comment_id', 'last_modified_at desc, file desc, position desc') }}
)

select * from final
