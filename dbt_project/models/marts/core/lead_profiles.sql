{#- Survivorship per field: the most trusted source's most recent non-empty value (the
    candidates' source_priority, then observed_at), and the source it came from. -#}
{%- set profile_fields = [
    'email', 'first_name', 'last_name', 'company', 'title', 'industry', 'employee_count',
    'country',
] -%}
{%- set survivorship_order = 'source_priority, observed_at desc' -%}

with key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

touchpoints as (
    select * from {{ ref('touchpoints') }}
    where lead_id is not null
),

attribute_candidates as (
    select * from {{ ref('int_profiles__attribute_candidates') }}
),

crm_outcomes as (
    select * from {{ ref('int_profiles__crm_outcomes') }}
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

-- the templater misplaces the indents of a loop inside a select list
-- noqa: disable=LT02
attributes as (
    select
        lead_id,
        {%- for field in profile_fields %}
        {{ first_non_null(field, survivorship_order) }} as {{ field }},
        {%- endfor %}
        {%- for field in profile_fields %}
        {{ first_non_null(
            'case when ' ~ field ~ ' is not null then attribute_source end', survivorship_order
        ) }} as {{ field }}_source{{ ',' if not loop.last }}
        {%- endfor %}
    from attribute_candidates
    group by lead_id
),
-- noqa: enable=LT02

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
