with source as (
    select * from {{ source('config', 'routing_rules') }}
),

renamed as (
    select
        cast(position as {{ dbt.type_int() }}) as position,
        countries,
        industries,
        cast(team as {{ dbt.type_string() }}) as team
    from source
),

final as (
    select * from renamed
)

select * from final
