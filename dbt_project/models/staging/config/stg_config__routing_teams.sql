with source as (
    select * from {{ source('config', 'routing_teams') }}
),

renamed as (
    select
        cast(team as {{ dbt.type_string() }}) as team,
        cast(member as {{ dbt.type_string() }}) as owner,
        cast(position as {{ dbt.type_int() }}) as position,
        cast(is_default as boolean) as is_default
    from source
),

final as (
    select * from renamed
)

select * from final
