{#- One row per converted person: the conversion attribution credits, with its instant
    (lead_profiles.converted_at) and its revenue (the won Amount of the converted
    Opportunity, else 0). A person with several converted Salesforce Leads converts once, at
    the earliest; that Lead names the conversion. -#}
with profiles as (
    select * from {{ ref('lead_profiles') }}
    where is_converted
        and converted_at is not null
),

key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where key_type = 'salesforce_lead_id'
        and lead_id is not null
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
    where is_converted
),

lead_conversions as (
    select * from {{ ref('stg_crm__lead_conversions') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

-- every converted Salesforce Lead of a person, earliest conversion first
person_conversions as (
    select
        key_leads.lead_id,
        crm_leads.lead_id as crm_lead_id,
        lead_conversions.converted_at,
        crm_leads.converted_opportunity_id,
        row_number() over (
            partition by key_leads.lead_id
            order by lead_conversions.converted_at, crm_leads.lead_id
        ) as conversion_rank
    from crm_leads
    inner join key_leads
        on crm_leads.lead_id = key_leads.key_value
    inner join lead_conversions
        on crm_leads.lead_id = lead_conversions.lead_id
),

final as (
    select
        person_conversions.crm_lead_id as conversion_id,
        profiles.lead_id,
        profiles.converted_at,
        person_conversions.converted_opportunity_id as opportunity_id,
        coalesce(opportunities.is_won, false) as is_won,
        case
            when opportunities.is_won then coalesce(opportunities.amount, 0)
            else 0
        end as revenue
    from profiles
    inner join person_conversions
        on profiles.lead_id = person_conversions.lead_id
        and person_conversions.conversion_rank = 1
    left join opportunities
        on person_conversions.converted_opportunity_id = opportunities.opportunity_id
)

select * from final
