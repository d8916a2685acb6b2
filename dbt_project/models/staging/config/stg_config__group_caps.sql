with source as (
    select * from {{ source('config', 'group_caps') }}
),

renamed as (
    select
        cast(rule_group as {{ dbt.type_string() }}) as rule_group,
        cast(max_points as {{ dbt.type_float() }}) as max_points,
        cast(window_days as {{ dbt.type_int() }}) as window_days
    from source
),

final as (
    select * from renamed
)

select * from final
