with source as (
    select * from {{ source('attribution', 'markov_shapley_credits') }}
),

renamed as (
    select
        cast(conversion_id as {{ dbt.type_string() }}) as conversion_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(touchpoint_id as {{ dbt.type_string() }}) as touchpoint_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(model as {{ dbt.type_string() }}) as model,
        cast(credit as {{ type_double() }}) as credit
    from source
),

final as (select * from renamed)

select * from final
