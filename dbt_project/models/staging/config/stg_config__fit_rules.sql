with source as (
    select * from {{ source('config', 'fit_rules') }}
),

renamed as (
    select
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(rule_group as {{ dbt.type_string() }}) as rule_group,
        lower(cast(field as {{ dbt.type_string() }})) as field,
        lower(cast(match as {{ dbt.type_string() }})) as match_type,
        {{ lower_list('list_values') }} as list_values,
        cast(min_value as {{ dbt.type_float() }}) as min_value,
        cast(max_value as {{ dbt.type_float() }}) as max_value,
        cast(pattern as {{ dbt.type_string() }}) as pattern,
        cast(exclusive_group as {{ dbt.type_string() }}) as exclusive_group,
        cast(priority as {{ dbt.type_int() }}) as priority,
        cast(points as {{ dbt.type_float() }}) as points,
        coalesce(cast(is_disqualifier as boolean), false) as is_disqualifier,
        cast(description as {{ dbt.type_string() }}) as rule_description
    from source
),

final as (
    select * from renamed
)

select * from final
