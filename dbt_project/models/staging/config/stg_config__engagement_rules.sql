with source as (
    select * from {{ source('config', 'engagement_rules') }}
),

renamed as (
    select
        cast(rule_id as {{ dbt.type_string() }}) as rule_id,
        cast(rule_group as {{ dbt.type_string() }}) as rule_group,
        cast(activity as {{ dbt.type_string() }}) as activity,
        {{ lower_list('channels') }} as channels,
        cast(page_path_pattern as {{ dbt.type_string() }}) as page_path_pattern,
        cast(url_pattern as {{ dbt.type_string() }}) as url_pattern,
        cast(event_name_pattern as {{ dbt.type_string() }}) as event_name_pattern,
        cast(detail_pattern as {{ dbt.type_string() }}) as detail_pattern,
        cast(campaign_pattern as {{ dbt.type_string() }}) as campaign_pattern,
        cast(duration_over_seconds as {{ dbt.type_int() }}) as duration_over_seconds,
        cast(after_activity as {{ dbt.type_string() }}) as after_activity,
        cast(after_within_minutes as {{ dbt.type_int() }}) as after_within_minutes,
        cast(exclusive_group as {{ dbt.type_string() }}) as exclusive_group,
        cast(priority as {{ dbt.type_int() }}) as priority,
        cast(points as {{ dbt.type_float() }}) as points,
        cast(cap_max_points as {{ dbt.type_float() }}) as cap_max_points,
        cast(cap_window_days as {{ dbt.type_int() }}) as cap_window_days,
        cast(description as {{ dbt.type_string() }}) as rule_description
    from source
),

final as (
    select * from renamed
)

select * from final
