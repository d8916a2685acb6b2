{#- The conversion instant of each converted Salesforce Lead. Salesforce gives ConvertedDate
    as a date only; the earliest loaded version with IsConverted true was written when the
    conversion happened, so its LastModifiedDate is the instant when it falls on that date
    (UTC), else the end of ConvertedDate (output contract, "conversion instant"). -#}
with source as (
    select * from ({{ select_source_columns('raw_crm', 'leads') }}) as raw_rows
    where {{ to_utc_timestamp('last_modified_date') }} <= {{ as_of_timestamp() }}
        and cast(is_converted as boolean)
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as lead_id,
        cast(converted_opportunity_id as {{ dbt.type_string() }}) as converted_opportunity_id,
        cast(converted_date as date) as converted_date,
        {{ to_utc_timestamp('last_modified_date') }} as last_modified_at,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    -- the earliest converted version, not the latest: later edits do not move the conversion
    select
        *,
        row_number() over (
            partition by lead_id
            order by last_modified_at, file, position
        ) as version_rank
    from renamed
),

final as (
    select
        lead_id,
        converted_opportunity_id,
        converted_date,
        last_modified_at as first_converted_version_at,
        case
            when converted_date is null then last_modified_at
            when cast(last_modified_at as date) = converted_date then last_modified_at
            else {{ end_of_day('converted_date') }}
        end as converted_at
    from ranked
    where version_rank = 1
)

select * from final
