with crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

-- a deleted lead without a master is gone; a merged one is the same person as its master,
-- and its email (often the person's second address) with it, as Salesforce merges them:
-- tied by the merge, so the master's own email keeps giving the person its id
kept_leads as (
    select
        *,
        case when is_deleted then 'merge' else 'profile' end as email_link_kind
    from crm_leads
    where not is_deleted
        or master_record_id is not null
),

crm_links as (
    select
        'salesforce_lead_id' as key_type,
        lead_id as key_value,
        'email' as linked_key_type,
        email as linked_key_value,
        email_link_kind as link_kind,
        created_at as linked_at
    from kept_leads
    where email is not null

    union all

    select 'email', email, 'email', email, email_link_kind, created_at
    from kept_leads
    where email is not null

    union all

    -- a live lead without an email is still a lead the sales team works
    select 'salesforce_lead_id', lead_id, 'salesforce_lead_id', lead_id, 'profile', created_at
    from crm_leads
    where not is_deleted
        and email is null

    union all

    select
        'salesforce_lead_id', lead_id, 'salesforce_lead_id', master_record_id, 'merge',
        last_modified_at
    from crm_leads
    where master_record_id is not null

    union all

    select
        'salesforce_contact_id', converted_contact_id, 'salesforce_lead_id', lead_id,
        'conversion', last_modified_at
    from kept_leads
    where converted_contact_id is not null
),

final as (
    select
        'crm' as source,
        *
    from crm_links
)

select * from final
