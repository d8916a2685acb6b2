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
        coalesce(lower(cast(role as {{ dbt.type_string() }})) in ('agent', 'admin'), false) as is_staff,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by user_id
            order by file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
