with web_events as (
    select * from {{ ref('stg_web__events') }}
    where event_type = 'identify'
        and trait_email is not null
),

email_events as (
    select * from {{ ref('stg_email__events') }}
    where email is not null
),

support_users as (
    select * from {{ ref('stg_support__users') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

social_responses as (
    select * from {{ ref('int_social__responses') }}
    where email is not null
),

booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
    where email is not null
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

-- staff (Zendesk agents and admins) never become leads, whatever source names them
staff_emails as (
    select distinct email
    from support_users
    where is_staff
        and email is not null
),

-- users only count once they requested a ticket known at the as-of instant
support_requesters as (
    select
        support_users.user_id,
        support_users.email,
        min(support_tickets.created_at) as first_ticket_at,
        max(support_tickets.updated_at) as last_ticket_at
    from support_users
    inner join support_tickets
        on support_users.user_id = support_tickets.requester_id
    where not support_users.is_staff
        and support_users.email is not null
    group by support_users.user_id, support_users.email
),

-- a deleted lead merged into another (MasterRecordId) is the same person as the survivor;
-- a deleted lead without a master is gone
crm_lead_emails as (
    select
        crm_leads.lead_id,
        crm_leads.converted_contact_id,
        case
            when crm_leads.is_deleted then masters.email
            else crm_leads.email
        end as email,
        crm_leads.created_at,
        crm_leads.last_modified_at
    from crm_leads
    left join crm_leads as masters
        on crm_leads.master_record_id = masters.lead_id
        and not masters.is_deleted
    where not crm_leads.is_deleted
        or crm_leads.master_record_id is not null
),

-- every observed (key -> email) link; link_rank 1 = an explicit alias that outranks a key's
-- own address (a LinkedIn EMAIL answer beside a WORK_EMAIL), 2 = an ordinary link
links as (
    select 'web' as source, 'anonymous_id' as key_type, anonymous_id as key_value,
        trait_email as email, occurred_at as linked_at, 2 as link_rank
    from web_events
    where anonymous_id is not null

    union all

    select 'web', 'user_id', user_id, trait_email, occurred_at, 2
    from web_events
    where user_id is not null

    union all

    select 'web', 'email', trait_email, trait_email, occurred_at, 2
    from web_events

    union all

    select 'email', 'email', email, email, occurred_at, 2
    from email_events

    union all

    select 'support', 'zendesk_user_id', user_id, email, first_ticket_at, 2
    from support_requesters

    union all

    select 'support', 'email', email, email, first_ticket_at, 2
    from support_requesters

    union all

    select 'social', 'linkedin_person', submitter_urn, email, submitted_at, 2
    from social_responses
    where submitter_urn is not null

    union all

    select 'social', 'email', email, email, submitted_at, 2
    from social_responses

    union all

    select 'social', 'email', contact_email, email, submitted_at,
        case when contact_email <> email then 1 else 2 end
    from social_responses
    where contact_email is not null

    union all

    select 'booth', 'booth_scan', scan_id, email, scanned_at, 2
    from booth_scans

    union all

    select 'booth', 'email', email, email, scanned_at, 2
    from booth_scans

    union all

    select 'crm', 'salesforce_lead_id', lead_id, email, last_modified_at, 2
    from crm_lead_emails
    where email is not null

    union all

    select 'crm', 'salesforce_contact_id', converted_contact_id, email, last_modified_at, 2
    from crm_lead_emails
    where email is not null
        and converted_contact_id is not null

    union all

    select 'crm', 'email', email, email, last_modified_at, 2
    from crm_lead_emails
    where email is not null
),

eligible_links as (
    select links.*
    from links
    left join staff_emails
        on links.email = staff_emails.email
    where staff_emails.email is null
        and links.key_value is not null
),

-- a key mapped to several emails takes the most recent one (aliases first)
ranked_emails as (
    select
        key_type,
        key_value,
        email,
        row_number() over (
            partition by key_type, key_value
            order by link_rank, linked_at desc nulls last, email
        ) as email_rank
    from eligible_links
),

resolved as (
    select
        key_type,
        key_value,
        email as resolved_email
    from ranked_emails
    where email_rank = 1
),

-- a staff address seen as a key resolves to no one
observed_keys as (
    select
        eligible_links.source,
        eligible_links.key_type,
        eligible_links.key_value,
        min(eligible_links.linked_at) as first_seen_at,
        max(eligible_links.linked_at) as last_seen_at,
        count(distinct eligible_links.email) as linked_email_count
    from eligible_links
    left join staff_emails
        on eligible_links.key_type = 'email'
        and eligible_links.key_value = staff_emails.email
    where staff_emails.email is null
    group by eligible_links.source, eligible_links.key_type, eligible_links.key_value
),

final as (
    select
        observed_keys.source,
        observed_keys.key_type,
        observed_keys.key_value,
        resolved.resolved_email as email,
        {{ lead_id_for_email('resolved.resolved_email') }} as lead_id,
        observed_keys.linked_email_count,
        observed_keys.first_seen_at,
        observed_keys.last_seen_at
    from observed_keys
    inner join resolved
        on observed_keys.key_type = resolved.key_type
        and observed_keys.key_value = resolved.key_value
)

select * from final
