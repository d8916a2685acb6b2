with source as (
    select * from ({{ select_source_columns('raw_social', 'comments') }}) as raw_rows
    -- point in time: only the versions written up to the as-of instant
    where {{ to_utc_timestamp('coalesce(last_modified_at, created_at)') }} <= {{ as_of_timestamp() }}
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
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    -- an edited comment keeps its id: the latest lastModified wins
    select
        *,
        row_number() over (
            partition by comment_id
            order by last_modified_at desc, file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
