with source as (
    {{ source_rows_as_of('raw_crm', 'opportunities', 'last_modified_date') }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as opportunity_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        -- dimensions
        cast(name as {{ dbt.type_string() }}) as opportunity_name,
        cast(stage_name as {{ dbt.type_string() }}) as stage_name,

        -- measures
        cast(amount as {{ type_double() }}) as amount,

        -- flags
        coalesce(cast(is_closed as boolean), false) as is_closed,
        coalesce(cast(is_won as boolean), false) as is_won,

        -- timestamps
        cast(close_date as date) as close_date,
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('last_modified_date') }} as last_modified_at,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version(
        'renamed', 'opportunity_id',
        'last_modified_at desc, file desc, position desc'
    ) }}
)

select * from final
