with source as (
    select * from {{ source('config', 'grade_thresholds') }}
),

renamed as (
    select
        lower(cast(scale as {{ dbt.type_string() }})) as scale,
        cast(label as {{ dbt.type_string() }}) as label,
        cast(min_score as {{ dbt.type_float() }}) as min_score
    from source
),

final as (
    select * from renamed
)

select * from final
