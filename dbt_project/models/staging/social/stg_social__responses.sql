with source as (
    {{ source_rows_as_of('raw_social', 'responses', 'submitted_at') }}
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
        {{ dlt_lineage_columns() }}
    from source
),

final as (
    {{ first_version('renamed', 'response_id') }}
)

select * from final
