with key_emails as (
    select * from {{ ref('int_identity__key_emails') }}
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

social_responses as (
    select * from {{ ref('int_social__responses') }}
    where email is not null
),

booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
    where email is not null
),

web_identifies as (
    select * from {{ ref('stg_web__events') }}
    where event_type = 'identify'
        and trait_email is not null
),

-- foundation identity: one lead per resolved email
leads as (
    select
        lead_id,
        email,
        min(first_seen_at) as first_identified_at
    from key_emails
    group by lead_id, email
),

key_leads as (
    select
        source,
        key_type,
        key_value,
        lead_id
    from key_emails
),

-- the Salesforce leads of each person (merged leads resolve to their survivor)
person_crm_leads as (
    select
        key_leads.lead_id,
        crm_leads.lead_id as crm_lead_id,
        crm_leads.is_deleted,
        crm_leads.is_converted,
        crm_leads.converted_date,
        crm_leads.converted_opportunity_id,
        crm_leads.last_modified_at
    from crm_leads
    inner join key_leads
        on key_leads.source = 'crm'
        and key_leads.key_type = 'salesforce_lead_id'
        and crm_leads.lead_id = key_leads.key_value
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
        min(case when person_crm_leads.is_converted then person_crm_leads.converted_date end) as converted_date,
        max(case when crm_opportunities.is_won then 1 else 0 end) = 1 as is_won
    from person_crm_leads
    left join crm_opportunities
        on person_crm_leads.converted_opportunity_id = crm_opportunities.opportunity_id
        and person_crm_leads.is_converted
    group by person_crm_leads.lead_id
),

-- attribute candidates, one row per observation; survivorship: CRM Lead > LinkedIn form >
-- booth scan > web identify traits, the most recent observation first within a source
attribute_candidates as (
    select
        key_leads.lead_id,
        1 as source_priority,
        crm_leads.last_modified_at as observed_at,
        crm_leads.first_name,
        crm_leads.last_name,
        crm_leads.company,
        crm_leads.title,
        crm_leads.industry,
        crm_leads.employee_count,
        crm_leads.country
    from crm_leads
    inner join key_leads
        on key_leads.source = 'crm'
        and key_leads.key_type = 'salesforce_lead_id'
        and crm_leads.lead_id = key_leads.key_value
    where not crm_leads.is_deleted

    union all

    select
        key_leads.lead_id,
        2,
        social_responses.submitted_at,
        social_responses.first_name,
        social_responses.last_name,
        social_responses.company,
        social_responses.title,
        social_responses.industry,
        social_responses.employee_count,
        social_responses.country
    from social_responses
    inner join key_leads
        on key_leads.source = 'social'
        and key_leads.key_type = 'email'
        and social_responses.email = key_leads.key_value

    union all

    select
        key_leads.lead_id,
        3,
        booth_scans.scanned_at,
        booth_scans.first_name,
        booth_scans.last_name,
        booth_scans.company,
        booth_scans.title,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_bigint() }}),
        booth_scans.country
    from booth_scans
    inner join key_leads
        on key_leads.source = 'booth'
        and key_leads.key_type = 'booth_scan'
        and booth_scans.scan_id = key_leads.key_value

    union all

    select
        key_leads.lead_id,
        4,
        web_identifies.occurred_at,
        web_identifies.trait_first_name,
        web_identifies.trait_last_name,
        web_identifies.trait_company_name,
        web_identifies.trait_title,
        web_identifies.trait_company_industry,
        web_identifies.trait_company_employee_count,
        web_identifies.trait_country
    from web_identifies
    inner join key_leads
        on key_leads.source = 'web'
        and key_leads.key_type = 'email'
        and web_identifies.trait_email = key_leads.key_value
),

attributes as (
    select
        lead_id,
        {{ first_non_null('first_name', 'source_priority, observed_at desc') }} as first_name,
        {{ first_non_null('last_name', 'source_priority, observed_at desc') }} as last_name,
        {{ first_non_null('company', 'source_priority, observed_at desc') }} as company,
        {{ first_non_null('title', 'source_priority, observed_at desc') }} as title,
        {{ first_non_null('industry', 'source_priority, observed_at desc') }} as industry,
        {{ first_non_null('employee_count', 'source_priority, observed_at desc') }} as employee_count,
        {{ first_non_null('country', 'source_priority, observed_at desc') }} as country
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
        leads.email,
        {{ email_domain('leads.email') }} as email_domain,
        attributes.first_name,
        attributes.last_name,
        attributes.company,
        attributes.title,
        attributes.industry,
        attributes.employee_count,
        attributes.country,
        crm_outcomes.crm_lead_id,
        coalesce(activity_summary.channels, {{ empty_string_list() }}) as channels,
        coalesce(activity_summary.touchpoint_count, 0) as touchpoint_count,
        -- a lead known only from a profile record (e.g. a CRM lead) was first seen then
        coalesce(activity_summary.first_touch_at, leads.first_identified_at) as first_seen_at,
        coalesce(activity_summary.last_touch_at, leads.first_identified_at) as last_seen_at,
        coalesce(crm_outcomes.is_converted, false) as is_converted,
        cast(crm_outcomes.converted_date as {{ dbt.type_timestamp() }}) as converted_at,
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
