with web_events as (
    select * from {{ ref('stg_web__events') }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
    where email is not null
),

support_users as (
    select * from {{ ref('stg_support__users') }}
    where not is_staff
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

social_responses as (
    select * from {{ ref('int_social__responses') }}
),

social_reactions as (
    select * from {{ ref('stg_social__reactions') }}
),

social_comments as (
    select * from {{ ref('stg_social__comments') }}
),

booth_scans as (
    select * from {{ ref('stg_booth__scans') }}
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

fuzzy_matches as (
    select * from {{ ref('stg_identity__fuzzy_matches') }}
),

identity_settings as (
    select * from {{ ref('stg_config__identity_settings') }}
),

-- users only count once they requested a ticket known at the as-of instant (staff never)
support_requesters as (
    select
        support_users.user_id,
        support_users.email,
        min(support_tickets.created_at) as first_ticket_at
    from support_users
    inner join support_tickets
        on support_users.user_id = support_tickets.requester_id
    group by support_users.user_id, support_users.email
),

-- a record without a usable email joins the one personal address Splink matched at or above
-- the threshold; two addresses above it (namesakes at one company) are ambiguous: no join
above_threshold as (
    select
        fuzzy_matches.*,
        count(distinct fuzzy_matches.right_key_value) over (
            partition by fuzzy_matches.left_key_type, fuzzy_matches.left_key_value
        ) as matched_addresses
    from fuzzy_matches
    cross join identity_settings
    where fuzzy_matches.match_probability >= identity_settings.match_threshold
),

-- the record must be known at the as-of instant (a Zendesk user: as a requester)
fuzzy_links as (
    select
        above_threshold.*,
        coalesce(above_threshold.left_seen_at, support_requesters.first_ticket_at) as linked_at
    from above_threshold
    left join support_requesters
        on above_threshold.left_key_type = 'zendesk_user_id'
        and above_threshold.left_key_value = support_requesters.user_id
    where above_threshold.matched_addresses = 1
        and (above_threshold.left_key_type <> 'zendesk_user_id'
            or support_requesters.user_id is not null)
),

-- every observed tie between two identifiers (or one identifier seen alone: linked to itself);
-- link_kind says why: identify, profile (a record naming both), merge (Salesforce
-- MasterRecordId), conversion (ConvertedContactId), alias (a second email on a form), fuzzy
links as (
    select 'web' as source, 'anonymous_id' as key_type, anonymous_id as key_value,
        'email' as linked_key_type, trait_email as linked_key_value,
        'identify' as link_kind, occurred_at as linked_at,
        cast(null as {{ dbt.type_float() }}) as match_probability
    from web_events
    where event_type = 'identify'
        and anonymous_id is not null
        and trait_email is not null

    union all

    select 'web', 'user_id', user_id, 'email', trait_email, 'identify', occurred_at, null
    from web_events
    where event_type = 'identify'
        and user_id is not null
        and trait_email is not null

    union all

    select 'web', 'email', trait_email, 'email', trait_email, 'identify', occurred_at, null
    from web_events
    where event_type = 'identify'
        and trait_email is not null

    union all

    -- any call carrying both ids ties the browser to the product user
    select 'web', 'anonymous_id', anonymous_id, 'user_id', user_id, 'identify',
        min(occurred_at), null
    from web_events
    where anonymous_id is not null
        and user_id is not null
    group by anonymous_id, user_id

    union all

    select 'email', 'email', email, 'email', email, 'recipient', min(occurred_at), null
    from email_events
    group by email

    union all

    select 'support', 'zendesk_user_id', user_id, 'email', email, 'profile', first_ticket_at, null
    from support_requesters
    where email is not null

    union all

    select 'support', 'email', email, 'email', email, 'profile', first_ticket_at, null
    from support_requesters
    where email is not null

    union all

    -- a requester known by name only is still a person
    select 'support', 'zendesk_user_id', user_id, 'zendesk_user_id', user_id, 'profile',
        first_ticket_at, null
    from support_requesters
    where email is null

    union all

    select 'social', 'linkedin_person', submitter_urn, 'email', email, 'profile', submitted_at, null
    from social_responses
    where submitter_urn is not null
        and email is not null

    union all

    select 'social', 'email', email, 'email', email, 'profile', submitted_at, null
    from social_responses
    where email is not null

    union all

    select 'social', 'email', contact_email, 'email', email, 'alias', submitted_at, null
    from social_responses
    where contact_email is not null
        and email is not null
        and contact_email <> email

    union all

    -- a response without any email still names its person by URN
    select 'social', 'linkedin_person', submitter_urn, 'linkedin_person', submitter_urn,
        'profile', submitted_at, null
    from social_responses
    where submitter_urn is not null
        and email is null

    union all

    select 'social', 'linkedin_person', actor_urn, 'linkedin_person', actor_urn, 'engagement',
        min(created_at), null
    from social_reactions
    where actor_urn is not null
    group by actor_urn

    union all

    select 'social', 'linkedin_person', actor_urn, 'linkedin_person', actor_urn, 'engagement',
        min(created_at), null
    from social_comments
    where actor_urn is not null
    group by actor_urn

    union all

    select 'booth', 'booth_scan', scan_id, 'email', email, 'profile', scanned_at, null
    from booth_scans
    where email is not null

    union all

    select 'booth', 'email', email, 'email', email, 'profile', scanned_at, null
    from booth_scans
    where email is not null

    union all

    select left_source, left_key_type, left_key_value, right_key_type, right_key_value, 'fuzzy',
        linked_at, match_probability
    from fuzzy_links

    union all

    -- a badge without email is still a scanned person (a lead of its own without a match)
    select 'booth', 'booth_scan', scan_id, 'booth_scan', scan_id, 'profile', scanned_at, null
    from booth_scans
    where email is null

    union all

    -- a deleted lead without a master is gone; a merged one is the same person as its master,
    -- and its email (often the person's second address) with it, as Salesforce merges them:
    -- tied by the merge, so the master's own email keeps giving the person its id
    select 'crm', 'salesforce_lead_id', lead_id, 'email', email,
        case when is_deleted then 'merge' else 'profile' end, created_at, null
    from crm_leads
    where (not is_deleted or master_record_id is not null)
        and email is not null

    union all

    select 'crm', 'email', email, 'email', email,
        case when is_deleted then 'merge' else 'profile' end, created_at, null
    from crm_leads
    where (not is_deleted or master_record_id is not null)
        and email is not null

    union all

    -- a live lead without an email is still a lead the sales team works
    select 'crm', 'salesforce_lead_id', lead_id, 'salesforce_lead_id', lead_id, 'profile',
        created_at, null
    from crm_leads
    where not is_deleted
        and email is null

    union all

    select 'crm', 'salesforce_lead_id', lead_id, 'salesforce_lead_id', master_record_id, 'merge',
        last_modified_at, null
    from crm_leads
    where master_record_id is not null

    union all

    select 'crm', 'salesforce_contact_id', converted_contact_id, 'salesforce_lead_id', lead_id,
        'conversion', last_modified_at, null
    from crm_leads
    where converted_contact_id is not null
        and (not is_deleted or master_record_id is not null)
),

final as (
    select
        source,
        key_type,
        key_value,
        linked_key_type,
        linked_key_value,
        link_kind,
        linked_at,
        match_probability
    from links
    where key_value is not null
        and linked_key_value is not null
)

select * from final
