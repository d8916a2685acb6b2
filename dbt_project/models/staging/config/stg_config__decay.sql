with source as (
    select * from {{ source('config', 'decay') }}
),

renamed as (
    select
        cast(rule_group as {{ dbt.type_string() }}) as rule_group,
        cast(model as {{ dbt.type_string() }}) as decay_model,
        cast(half_life_days as {{ dbt.type_float() }}) as half_life_days
    from source
),

final as (
    select * from renamed
)

select * from final
