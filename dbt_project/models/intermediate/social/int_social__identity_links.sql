with social_responses as (
    select * from {{ ref('int_social__responses') }}
),

social_reactions as (
    select * from {{ ref('stg_social__reactions') }}
    where actor_urn is not null
),

social_comments as (
    select * from {{ ref('stg_social__comments') }}
    where actor_urn is not null
),

-- a response without any email still names its person by URN
response_links as (
    {{ person_record_links(
        'social_responses', 'social', 'linkedin_person', 'submitter_urn', 'email', 'submitted_at'
    ) }}
),

-- a second address on the form (EMAIL besides WORK_EMAIL) is the same person
alias_links as (
    select
        'social' as source,
        'email' as key_type,
        contact_email as key_value,
        'email' as linked_key_type,
        email as linked_key_value,
        'alias' as link_kind,
        submitted_at as linked_at
    from social_responses
    where contact_email is not null
        and email is not null
        and contact_email <> email
),

-- a reaction or comment names a LinkedIn member: a person without an email
engagement_links as (
    select
        'social' as source,
        'linkedin_person' as key_type,
        actor_urn as key_value,
        'linkedin_person' as linked_key_type,
        actor_urn as linked_key_value,
        'engagement' as link_kind,
        min(created_at) as linked_at
    from social_reactions
    group by actor_urn

    union all

    select
        'social', 'linkedin_person', actor_urn, 'linkedin_person', actor_urn, 'engagement',
        min(created_at)
    from social_comments
    group by actor_urn
),

final as (
    select * from response_links
    union all
    select * from alias_links
    union all
    select * from engagement_links
)

select * from final
