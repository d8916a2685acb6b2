with source as (
    select * from ({{ select_source_columns('raw_social', 'forms') }}) as raw_rows
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_bigint() }}) as form_id,
        cast(version_id as {{ dbt.type_bigint() }}) as form_version_id,

        -- dimensions
        cast(name as {{ dbt.type_string() }}) as form_name,
        cast(state as {{ dbt.type_string() }}) as form_state,

        -- lineage
        cast(id as {{ dbt.type_string() }}) || ':' || cast(version_id as {{ dbt.type_string() }}) as source_record_id,
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by form_id, form_version_id
            order by file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
