with source as (
    select * from {{ source('attribution', 'markov_removal_effects') }}
),

renamed as (
    select
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(removal_effect as {{ type_double() }}) as removal_effect,
        cast(conversion_probability_without as {{ type_double() }})
            as conversion_probability_without,
        cast(conversion_probability as {{ type_double() }}) as conversion_probability
    from source
),

final as (select * from renamed)

select * from final
