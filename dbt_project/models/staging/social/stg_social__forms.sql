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
        cast(id as {{ dbt.type_string() }}) || ':' || cast(version_id as {{ dbt.type_string() }})
            as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version('renamed', 'form_id, form_version_id') }}
)

select * from final
