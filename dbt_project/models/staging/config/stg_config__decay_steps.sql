with source as (
    select * from {{ source('config', 'decay_steps') }}
),

renamed as (
    select
        cast(rule_group as {{ dbt.type_string() }}) as rule_group,
        cast(after_days as {{ dbt.type_float() }}) as after_days,
        cast(factor as {{ dbt.type_float() }}) as factor
    from source
),

final as (
    select * from renamed
)

select * from final
