with source as (
    select * from {{ source('config', 'alert_thresholds') }}
),

renamed as (
    select
        cast(threshold as {{ dbt.type_float() }}) as threshold
    from source
),

final as (
    select * from renamed
)

select * from final
