with source as (
    select * from {{ source('config', 'identity_blocked_values') }}
),

renamed as (
    select
        cast(block_kind as {{ dbt.type_string() }}) as block_kind,
        cast(blocked_value as {{ dbt.type_string() }}) as blocked_value
    from source
),

final as (
    select * from renamed
)

select * from final
