with web_events as (
    select * from {{ ref('stg_web__events') }}
    where event_type in ('page', 'track')
),

email_events as (
    select * from {{ ref('stg_email__events') }}
    -- Apple Mail privacy opens are made by a machine, not by the person
    where not is_machine_open
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

crm_tasks as (
    select * from {{ ref('stg_crm__tasks') }}
),

page_path_activities as (
    select * from {{ ref('web_page_path_activities') }}
),

track_event_activities as (
    select * from {{ ref('web_track_event_activities') }}
),

referral_channels as (
    select * from {{ ref('web_referral_channels') }}
),

email_event_activities as (
    select * from {{ ref('email_event_activities') }}
),

task_type_activities as (
    select * from {{ ref('crm_task_type_activities') }}
),

web_paths as (
    select
        web_events.*,
        -- lower-case, no trailing slash; an empty path means '/'
        coalesce(nullif(rtrim(lower(web_events.page_path), '/'), ''), '/') as normalized_path
    from web_events
),

-- the longest matching path rule names a page's activity
web_page_matches as (
    select
        web_paths.event_id,
        page_path_activities.activity,
        row_number() over (
            partition by web_paths.event_id
            order by length(page_path_activities.path_prefix) desc
        ) as match_rank
    from web_paths
    inner join page_path_activities
        on web_paths.normalized_path = page_path_activities.path_prefix
        or (
            page_path_activities.match_type = 'prefix'
            and web_paths.normalized_path like page_path_activities.path_prefix || '/%'
        )
    where web_paths.event_type = 'page'
),

-- direct mail (QR, print) and social referrals are channels of their own
web_channel_matches as (
    select
        web_events.event_id,
        referral_channels.channel,
        row_number() over (
            partition by web_events.event_id
            order by referral_channels.priority, referral_channels.channel
        ) as match_rank
    from web_events
    inner join referral_channels
        on (
            referral_channels.match_field = 'campaign_medium'
            and web_events.campaign_medium = referral_channels.match_value
        )
        or (
            referral_channels.match_field = 'campaign_source'
            and web_events.campaign_source = referral_channels.match_value
        )
        or (
            referral_channels.match_field = 'referrer_domain'
            and (
                web_events.referrer_host = referral_channels.match_value
                or web_events.referrer_host like '%.' || referral_channels.match_value
            )
        )
),

web_touchpoints as (
    select
        'web' as source,
        coalesce(web_channel_matches.channel, 'web') as channel,
        case
            when web_paths.event_type = 'page' then coalesce(web_page_matches.activity, 'page_view')
            else coalesce(track_event_activities.activity, 'other')
        end as activity,
        web_paths.occurred_at,
        web_paths.campaign_name as campaign,
        web_paths.page_url as url,
        web_paths.source_record_id,
        web_paths.load_id,
        case when web_paths.anonymous_id is not null then 'anonymous_id' else 'user_id' end as identity_key_type,
        coalesce(web_paths.anonymous_id, web_paths.user_id) as identity_key_value,
        case when web_paths.anonymous_id is not null and web_paths.user_id is not null then 'user_id' end as fallback_key_type,
        case when web_paths.anonymous_id is not null then web_paths.user_id end as fallback_key_value,
        web_paths.normalized_path as page_path,
        web_paths.event_name,
        web_paths.chat_topic as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from web_paths
    left join web_page_matches
        on web_paths.event_id = web_page_matches.event_id
        and web_page_matches.match_rank = 1
    left join track_event_activities
        on lower(trim(web_paths.event_name)) = lower(track_event_activities.event_name)
    left join web_channel_matches
        on web_paths.event_id = web_channel_matches.event_id
        and web_channel_matches.match_rank = 1
),

email_touchpoints as (
    select
        'email' as source,
        'email' as channel,
        email_event_activities.activity,
        email_events.occurred_at,
        email_events.campaign_name as campaign,
        email_events.click_url as url,
        email_events.source_record_id,
        email_events.load_id,
        'email' as identity_key_type,
        email_events.email as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        email_events.event_type as event_name,
        email_events.category as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from email_events
    -- processed, deferred, dropped and bounce are delivery mechanics, not touchpoints
    inner join email_event_activities
        on email_events.event_type = email_event_activities.event_type
),

support_touchpoints as (
    select
        'support' as source,
        'support' as channel,
        'support_ticket' as activity,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as url,
        source_record_id,
        load_id,
        'zendesk_user_id' as identity_key_type,
        requester_id as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as event_name,
        tags as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from support_tickets
),

response_touchpoints as (
    select
        'social' as source,
        'social' as channel,
        'social_form' as activity,
        submitted_at as occurred_at,
        campaign_urn as campaign,
        cast(null as {{ dbt.type_string() }}) as url,
        source_record_id,
        load_id,
        -- a response names its person by email; the person URN only when no email was asked
        case when email is not null then 'email' else 'linkedin_person' end as identity_key_type,
        coalesce(email, submitter_urn) as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as event_name,
        lead_type as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from social_responses
),

reaction_touchpoints as (
    select
        'social' as source,
        'social' as channel,
        'social_reaction' as activity,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign,
        root_urn as url,
        source_record_id,
        load_id,
        'linkedin_person' as identity_key_type,
        actor_urn as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as event_name,
        reaction_type as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from social_reactions
),

comment_touchpoints as (
    select
        'social' as source,
        'social' as channel,
        'social_comment' as activity,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign,
        object_urn as url,
        source_record_id,
        load_id,
        'linkedin_person' as identity_key_type,
        actor_urn as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as event_name,
        cast(null as {{ dbt.type_string() }}) as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from social_comments
),

booth_touchpoints as (
    select
        'booth' as source,
        'event' as channel,
        'booth_scan' as activity,
        scanned_at as occurred_at,
        event_slug as campaign,
        cast(null as {{ dbt.type_string() }}) as url,
        source_record_id,
        load_id,
        'booth_scan' as identity_key_type,
        scan_id as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as event_name,
        rating as detail,
        cast(null as {{ dbt.type_bigint() }}) as duration_seconds
    from booth_scans
),

crm_touchpoints as (
    select
        'crm' as source,
        'sales' as channel,
        coalesce(task_type_activities.activity, 'sales_other') as activity,
        crm_tasks.created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as url,
        crm_tasks.source_record_id,
        crm_tasks.load_id,
        -- WhoId is a Lead (00Q) or, after conversion, a Contact (003)
        case
            when crm_tasks.who_id like '003%' then 'salesforce_contact_id'
            else 'salesforce_lead_id'
        end as identity_key_type,
        crm_tasks.who_id as identity_key_value,
        cast(null as {{ dbt.type_string() }}) as fallback_key_type,
        cast(null as {{ dbt.type_string() }}) as fallback_key_value,
        cast(null as {{ dbt.type_string() }}) as page_path,
        crm_tasks.task_type as event_name,
        crm_tasks.subject as detail,
        crm_tasks.call_duration_seconds as duration_seconds
    from crm_tasks
    left join task_type_activities
        on lower(crm_tasks.task_type) = task_type_activities.task_type
),

unioned as (
    select * from web_touchpoints
    union all
    select * from email_touchpoints
    union all
    select * from support_touchpoints
    union all
    select * from response_touchpoints
    union all
    select * from reaction_touchpoints
    union all
    select * from comment_touchpoints
    union all
    select * from booth_touchpoints
    union all
    select * from crm_touchpoints
),

final as (
    select
        {{ touchpoint_id('source', 'source_record_id') }} as touchpoint_id,
        *
    from unioned
    where occurred_at <= {{ as_of_timestamp() }}
)

select * from final
