with source as (
    select * from {{ source('config', 'bands') }}
),

renamed as (
    select
        nullif(upper(trim(cast(grid_cell as {{ dbt.type_string() }}))), '') as grid_cell,
        lower(cast(band as {{ dbt.type_string() }})) as band
    from source
),

final as (
    select * from renamed
)

select * from final
