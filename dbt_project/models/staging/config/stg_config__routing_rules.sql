with source as (
    select * from {{ source('config', 'routing_rules') }}
),

renamed as (
    select
        cast(position as {{ dbt.type_int() }}) as position,
        {{ lower_list('countries') }} as countries,
        {{ lower_list('industries') }} as industries,
        cast(team as {{ dbt.type_string() }}) as team
    from source
),

final as (
    select * from renamed
)

select * from final
