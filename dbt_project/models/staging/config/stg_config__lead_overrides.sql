with source as (
    select * from {{ source('config', 'lead_overrides') }}
),

renamed as (
    select
        lower(trim(cast(lead_key as {{ dbt.type_string() }}))) as lead_key,
        lower(cast(band as {{ dbt.type_string() }})) as band,
        cast(score as {{ dbt.type_float() }}) as override_score,
        cast(reason as {{ dbt.type_string() }}) as override_reason,
        cast(overridden_by as {{ dbt.type_string() }}) as overridden_by,
        cast(valid_until as date) as valid_until
    from source
),

final as (
    select * from renamed
)

select * from final
