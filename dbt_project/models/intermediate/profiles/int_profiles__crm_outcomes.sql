with key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
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

final as (
    select
        person_crm_leads.lead_id,
        -- the live (not deleted) lead record most recently modified
        {{ first_non_null(
            "case when not person_crm_leads.is_deleted then person_crm_leads.crm_lead_id end",
            "person_crm_leads.last_modified_at desc, person_crm_leads.crm_lead_id"
        ) }} as crm_lead_id,
        max(case when person_crm_leads.is_converted then 1 else 0 end) = 1 as is_converted,
        -- the conversion instant (stg_crm__lead_conversions); several converted leads: the
        -- earliest
        min(case when person_crm_leads.is_converted then person_crm_leads.converted_at end)
            as converted_at,
        max(case when crm_opportunities.is_won then 1 else 0 end) = 1 as is_won
    from person_crm_leads
    left join crm_opportunities
        on person_crm_leads.converted_opportunity_id = crm_opportunities.opportunity_id
        and person_crm_leads.is_converted
    group by person_crm_leads.lead_id
)

select * from final
