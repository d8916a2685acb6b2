with key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

social_responses as (
    select * from {{ ref('int_social__responses') }}
),

booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
),

web_identifies as (
    select * from {{ ref('stg_web__events') }}
    where event_type = 'identify'
        and trait_email is not null
),

-- attribute candidates, one row per observation; survivorship: CRM Lead > LinkedIn form >
-- booth scan > web identify traits, the most recent observation first within a source
observed_attributes as (
    select
        key_leads.lead_id,
        1 as source_priority,
        'crm' as attribute_source,
        crm_leads.last_modified_at as observed_at,
        crm_leads.email,
        crm_leads.first_name,
        crm_leads.last_name,
        crm_leads.company,
        crm_leads.title,
        crm_leads.industry,
        crm_leads.employee_count,
        crm_leads.country
    from crm_leads
    inner join key_leads
        on key_leads.key_type = 'salesforce_lead_id'
        and crm_leads.lead_id = key_leads.key_value
    where not crm_leads.is_deleted

    union all

    select
        key_leads.lead_id,
        2,
        'social',
        social_responses.submitted_at,
        social_responses.email,
        social_responses.first_name,
        social_responses.last_name,
        social_responses.company,
        social_responses.title,
        social_responses.industry,
        social_responses.employee_count,
        social_responses.country
    from social_responses
    -- by the submitter (a form with only a role address names its person by URN alone)
    inner join key_leads
        on (
            social_responses.submitter_urn is not null
            and key_leads.key_type = 'linkedin_person'
            and social_responses.submitter_urn = key_leads.key_value
        )
        or (
            social_responses.submitter_urn is null
            and key_leads.key_type = 'email'
            and social_responses.email = key_leads.key_value
        )

    union all

    select
        key_leads.lead_id,
        3,
        'booth',
        booth_scans.scanned_at,
        booth_scans.email,
        booth_scans.first_name,
        booth_scans.last_name,
        booth_scans.company,
        booth_scans.title,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_bigint() }}),
        booth_scans.country
    from booth_scans
    inner join key_leads
        on key_leads.key_type = 'booth_scan'
        and booth_scans.scan_id = key_leads.key_value

    union all

    select
        key_leads.lead_id,
        4,
        'web',
        web_identifies.occurred_at,
        web_identifies.trait_email,
        web_identifies.trait_first_name,
        web_identifies.trait_last_name,
        web_identifies.trait_company_name,
        web_identifies.trait_title,
        web_identifies.trait_company_industry,
        web_identifies.trait_company_employee_count,
        web_identifies.trait_country
    from web_identifies
    inner join key_leads
        on key_leads.key_type = 'email'
        and web_identifies.trait_email = key_leads.key_value
),

-- an email only counts for the profile when it is one of the person's resolved keys (a
-- blocked role address stays out)
final as (
    select
        observed_attributes.lead_id,
        observed_attributes.source_priority,
        observed_attributes.attribute_source,
        observed_attributes.observed_at,
        observed_attributes.first_name,
        observed_attributes.last_name,
        observed_attributes.company,
        observed_attributes.title,
        observed_attributes.industry,
        observed_attributes.employee_count,
        observed_attributes.country,
        member_emails.key_value as email
    from observed_attributes
    left join key_leads as member_emails
        on member_emails.key_type = 'email'
        and observed_attributes.email = member_emails.key_value
        and observed_attributes.lead_id = member_emails.lead_id
)

select * from final
