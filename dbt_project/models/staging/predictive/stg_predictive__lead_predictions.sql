{#- The predictions table appears once the model asset has run: until then, no rows. -#}
{%- set predictions = source('predictive', 'lead_predictions') -%}
{%- set predictions_exist = execute and adapter.get_relation(
    database=predictions.database, schema=predictions.schema, identifier=predictions.identifier
) is not none -%}

with source as (
    {%- if predictions_exist %}
    select * from {{ predictions }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_timestamp() }}) as as_of,
        cast(null as {{ dbt.type_float() }}) as conversion_probability,
        cast(null as {{ dbt.type_float() }}) as raw_score,
        cast(null as {{ dbt.type_string() }}) as model_version,
        cast(null as {{ dbt.type_string() }}) as model_kind,
        cast(null as boolean) as is_trusted,
        cast(null as {{ dbt.type_string() }}) as reasons_up,
        cast(null as {{ dbt.type_string() }}) as reasons_down
    where false
    {%- endif %}
),

renamed as (
    select
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(as_of as {{ dbt.type_timestamp() }}) as as_of,
        cast(conversion_probability as {{ dbt.type_float() }}) as conversion_probability,
        cast(raw_score as {{ dbt.type_float() }}) as raw_score,
        cast(model_version as {{ dbt.type_string() }}) as model_version,
        cast(model_kind as {{ dbt.type_string() }}) as model_kind,
        cast(is_trusted as boolean) as is_trusted,
        cast(reasons_up as {{ dbt.type_string() }}) as reasons_up,
        cast(reasons_down as {{ dbt.type_string() }}) as reasons_down
    from source
),

final as (
    select * from renamed
)

select * from final
