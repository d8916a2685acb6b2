with source as (
    select * from ({{ select_source_columns('raw_support', 'users') }}) as raw_rows
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as user_id,
        cast(organization_id as {{ dbt.type_string() }}) as organization_id,

        -- dimensions
        {{ normalize_email('email') }} as email,
        cast(name as {{ dbt.type_string() }}) as user_name,
        lower(cast(role as {{ dbt.type_string() }})) as user_role,

        -- flags: agents and admins are staff and never become leads
        coalesce(lower(cast(role as {{ dbt.type_string() }})) in ('agent', 'admin'), false)
            as is_staff,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version('renamed', 'user_id') }}
)

select * from final
