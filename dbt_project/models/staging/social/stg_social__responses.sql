with source as (
    select * from ({{ select_source_columns('raw_social', 'responses') }}) as raw_rows
    where {{ to_utc_timestamp('submitted_at') }} <= {{ as_of_timestamp() }}
),

renamed as (
    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as response_id,
        cast(form_id as {{ dbt.type_bigint() }}) as form_id,
        cast(form_version_id as {{ dbt.type_bigint() }}) as form_version_id,
        cast(submitter as {{ dbt.type_string() }}) as submitter_urn,

        -- dimensions
        upper(cast(lead_type as {{ dbt.type_string() }})) as lead_type,
        cast(sponsored_account as {{ dbt.type_string() }}) as sponsored_account_urn,
        cast(organization as {{ dbt.type_string() }}) as organization_urn,
        cast(campaign as {{ dbt.type_string() }}) as campaign_urn,

        -- timestamps
        {{ to_utc_timestamp('submitted_at') }} as submitted_at,

        -- lineage
        cast(id as {{ dbt.type_string() }}) as source_record_id,
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(position as {{ dbt.type_bigint() }}) as position
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by response_id
            order by file desc, position desc
        ) as version_rank
    from renamed
),

final as (
    select * from ranked
    where version_rank = 1
)

select * from final
