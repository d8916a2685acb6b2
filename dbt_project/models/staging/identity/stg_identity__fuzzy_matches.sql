with source as (
    select * from {{ source('identity', 'fuzzy_matches') }}
),

renamed as (
    select
        cast(left_source as {{ dbt.type_string() }}) as left_source,
        cast(left_key_type as {{ dbt.type_string() }}) as left_key_type,
        cast(left_key_value as {{ dbt.type_string() }}) as left_key_value,
        {{ to_utc_timestamp('left_seen_at') }} as left_seen_at,
        cast(right_key_type as {{ dbt.type_string() }}) as right_key_type,
        cast(right_key_value as {{ dbt.type_string() }}) as right_key_value,
        cast(match_probability as {{ dbt.type_float() }}) as match_probability,
        cast(match_weight as {{ dbt.type_float() }}) as match_weight,
        cast(names_only as {{ dbt.type_boolean() }}) as names_only
    from source
),

final as (
    select * from renamed
)

select * from final
