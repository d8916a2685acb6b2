with source as (
    select * from {{ source('config', 'identity_settings') }}
),

renamed as (
    select
        cast(max_people_per_key as {{ dbt.type_bigint() }}) as max_people_per_key,
        cast(match_threshold as {{ dbt.type_float() }}) as match_threshold,
        cast(name_only_match_threshold as {{ dbt.type_float() }}) as name_only_match_threshold
    from source
),

final as (
    select * from renamed
)

select * from final
