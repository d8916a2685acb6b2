with source as (
    select * from ({{ select_source_columns('raw_social', 'reactions') }}) as raw_rows
    -- point in time: only the versions written up to the as-of instant
    where {{ to_utc_timestamp('coalesce(last_modified_at, created_at)') }} <= {{ as_of_timestamp() }}
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
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    -- a changed reaction keeps its id: the latest lastModified wins
    select
        *,
        row_number() over (
            partition by reaction_id
            order by last_modified_at desc, file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
