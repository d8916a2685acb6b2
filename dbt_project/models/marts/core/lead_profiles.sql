with key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

touchpoints as (
    select * from {{ ref('touchpoints') }}
    where lead_id is not null
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

crm_opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

crm_lead_conversions as (
    select * from {{ ref('stg_crm__lead_conversions') }}
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

-- one lead per resolved component (a person with an email or a record naming a person)
leads as (
    select
        lead_id,
        anchor_email,
        min(first_seen_at) as first_identified_at
    from key_leads
    group by lead_id, anchor_email
),

-- the Salesforce leads of each person (merged leads resolve to their survivor)
person_crm_leads as (
    select
        key_leads.lead_id,
        crm_leads.lead_id as crm_lead_id,
        crm_leads.is_deleted,
        crm_leads.is_converted,
        crm_lead_conversions.converted_at,
        crm_leads.converted_opportunity_id,
        crm_leads.last_modified_at
    from crm_leads
    inner join key_leads
        on key_leads.key_type = 'salesforce_lead_id'
        and crm_leads.lead_id = key_leads.key_value
    left join crm_lead_conversions
        on crm_leads.lead_id = crm_lead_conversions.lead_id
),

crm_outcomes as (
    select
        person_crm_leads.lead_id,
        -- the live (not deleted) lead record most recently modified
        {{ first_non_null(
            "case when not person_crm_leads.is_deleted then person_crm_leads.crm_lead_id end",
            "person_crm_leads.last_modified_at desc, person_crm_leads.crm_lead_id"
        ) }} as crm_lead_id,
        max(case when person_crm_leads.is_converted then 1 else 0 end) = 1 as is_converted,
        -- the conversion instant (stg_crm__lead_conversions); several converted leads: the earliest
        min(case when person_crm_leads.is_converted then person_crm_leads.converted_at end) as converted_at,
        max(case when crm_opportunities.is_won then 1 else 0 end) = 1 as is_won
    from person_crm_leads
    left join crm_opportunities
        on person_crm_leads.converted_opportunity_id = crm_opportunities.opportunity_id
        and person_crm_leads.is_converted
    group by person_crm_leads.lead_id
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
attribute_candidates as (
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
),

-- survivorship: per field the most trusted source's most recent non-empty value, and its source
attributes as (
    select
        lead_id,
        {{ first_non_null('email', 'source_priority, observed_at desc') }} as email,
        {{ first_non_null('first_name', 'source_priority, observed_at desc') }} as first_name,
        {{ first_non_null('last_name', 'source_priority, observed_at desc') }} as last_name,
        {{ first_non_null('company', 'source_priority, observed_at desc') }} as company,
        {{ first_non_null('title', 'source_priority, observed_at desc') }} as title,
        {{ first_non_null('industry', 'source_priority, observed_at desc') }} as industry,
        {{ first_non_null('employee_count', 'source_priority, observed_at desc') }} as employee_count,
        {{ first_non_null('country', 'source_priority, observed_at desc') }} as country,
        {{ first_non_null("case when email is not null then attribute_source end", 'source_priority, observed_at desc') }} as email_source,
        {{ first_non_null("case when first_name is not null then attribute_source end", 'source_priority, observed_at desc') }} as first_name_source,
        {{ first_non_null("case when last_name is not null then attribute_source end", 'source_priority, observed_at desc') }} as last_name_source,
        {{ first_non_null("case when company is not null then attribute_source end", 'source_priority, observed_at desc') }} as company_source,
        {{ first_non_null("case when title is not null then attribute_source end", 'source_priority, observed_at desc') }} as title_source,
        {{ first_non_null("case when industry is not null then attribute_source end", 'source_priority, observed_at desc') }} as industry_source,
        {{ first_non_null("case when employee_count is not null then attribute_source end", 'source_priority, observed_at desc') }} as employee_count_source,
        {{ first_non_null("case when country is not null then attribute_source end", 'source_priority, observed_at desc') }} as country_source
    from attribute_candidates
    group by lead_id
),

activity_summary as (
    select
        lead_id,
        {{ sorted_distinct_list('channel') }} as channels,
        count(*) as touchpoint_count,
        min(occurred_at) as first_touch_at,
        max(occurred_at) as last_touch_at
    from touchpoints
    group by lead_id
),

final as (
    select
        leads.lead_id,
        coalesce(attributes.email, leads.anchor_email) as email,
        {{ email_domain('coalesce(attributes.email, leads.anchor_email)') }} as email_domain,
        attributes.first_name,
        attributes.last_name,
        attributes.company,
        attributes.title,
        attributes.industry,
        attributes.employee_count,
        attributes.country,
        coalesce(attributes.email_source, 'identity') as email_source,
        attributes.first_name_source,
        attributes.last_name_source,
        attributes.company_source,
        attributes.title_source,
        attributes.industry_source,
        attributes.employee_count_source,
        attributes.country_source,
        crm_outcomes.crm_lead_id,
        coalesce(activity_summary.channels, {{ empty_string_list() }}) as channels,
        coalesce(activity_summary.touchpoint_count, 0) as touchpoint_count,
        -- a lead known only from a profile record (e.g. a CRM lead) was first seen then
        coalesce(activity_summary.first_touch_at, leads.first_identified_at) as first_seen_at,
        coalesce(activity_summary.last_touch_at, leads.first_identified_at) as last_seen_at,
        coalesce(crm_outcomes.is_converted, false) as is_converted,
        crm_outcomes.converted_at,
        coalesce(crm_outcomes.is_won, false) as is_won
    from leads
    left join attributes
        on leads.lead_id = attributes.lead_id
    left join crm_outcomes
        on leads.lead_id = crm_outcomes.lead_id
    left join activity_summary
        on leads.lead_id = activity_summary.lead_id
)

select * from final
