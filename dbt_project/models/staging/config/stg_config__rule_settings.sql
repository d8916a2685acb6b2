with source as (
    select * from {{ source('config', 'rule_settings') }}
),

renamed as (
    select
        cast(rules_version as {{ dbt.type_string() }}) as rules_version,
        cast(session_gap_minutes as {{ dbt.type_int() }}) as session_gap_minutes,
        cast(long_session_minutes as {{ dbt.type_int() }}) as long_session_minutes
    from source
),

final as (
    select * from renamed
)

select * from final
