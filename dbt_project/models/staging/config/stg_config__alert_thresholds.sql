with source as (
    select * from {{ source('config', 'alert_thresholds') }}
),

renamed as (
    select
        cast(threshold as {{ dbt.type_float() }}) as threshold,
        cast(is_backfill as boolean) as is_backfill
    from source
),

final as (
    select * from renamed
)

select * from final
