with source as (
    select * from {{ source('config', 'engagement_rules') }}
),

renamed as (
    select
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(rule_group as {{ dbt.type_string() }}) as rule_group,
        cast(activity as {{ dbt.type_string() }}) as activity,
        cast(points as {{ dbt.type_float() }}) as points,
        cast(description as {{ dbt.type_string() }}) as rule_description
    from source
),

final as (
    select * from renamed
)

select * from final
