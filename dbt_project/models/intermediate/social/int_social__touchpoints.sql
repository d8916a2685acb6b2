with social_responses as (
    select * from {{ ref('int_social__responses') }}
),

social_reactions as (
    select * from {{ ref('stg_social__reactions') }}
),

social_comments as (
    select * from {{ ref('stg_social__comments') }}
),

response_touchpoints as (
    select
        'social_form' as activity,
        submitted_at as occurred_at,
        campaign_urn as campaign,
        cast(null as {{ dbt.type_string() }}) as url,
        source_record_id,
        load_id,
        -- a response names its person by email; the person URN only when no email was asked
        case when email is not null then 'email' else 'linkedin_person' end as identity_key_type,
        coalesce(email, submitter_urn) as identity_key_value,
        lead_type as detail
    from social_responses
),

reaction_touchpoints as (
    select
        'social_reaction' as activity,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign,
        root_urn as url,
        source_record_id,
        load_id,
        'linkedin_person' as identity_key_type,
        actor_urn as identity_key_value,
        reaction_type as detail
    from social_reactions
),

comment_touchpoints as (
    select
        'social_comment' as activity,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign,
        object_urn as url,
        source_record_id,
        load_id,
        'linkedin_person' as identity_key_type,
        actor_urn as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as detail
    from social_comments
),

social_touchpoints as (
    select * from response_touchpoints
    union all
    select * from reaction_touchpoints
    union all
    select * from comment_touchpoints
),

final as (
    select
        'social' as source,
        'social' as channel,
        *
    from social_touchpoints
)

select * from final
