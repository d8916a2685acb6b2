with source as (
    select * from {{ source('config', 'point_overrides') }}
),

renamed as (
    select
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(position as {{ dbt.type_int() }}) as position,
        cast(campaign_pattern as {{ dbt.type_string() }}) as campaign_pattern,
        cast(segment_rule_id as {{ dbt.type_string() }}) as segment_rule_id,
        cast(points as {{ dbt.type_float() }}) as points
    from source
),

final as (
    select * from renamed
)

select * from final
