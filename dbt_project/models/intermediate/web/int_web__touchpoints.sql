with web_events as (
    select * from {{ ref('stg_web__events') }}
    where event_type in ('page', 'track')
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

web_paths as (
    select
        web_events.*,
        -- lower-case, no trailing slash; an empty path means '/'
        coalesce(nullif({{ trim_trailing('lower(web_events.page_path)', "'/'") }}, ''), '/')
            as normalized_path
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

final as (
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
        case when web_paths.anonymous_id is not null then 'anonymous_id' else 'user_id' end
            as identity_key_type,
        coalesce(web_paths.anonymous_id, web_paths.user_id) as identity_key_value,
        case
            when web_paths.anonymous_id is not null and web_paths.user_id is not null then 'user_id'
        end as fallback_key_type,
        case when web_paths.anonymous_id is not null then web_paths.user_id end
            as fallback_key_value,
        web_paths.normalized_path as page_path,
        web_paths.event_name,
        web_paths.chat_topic as detail
    from web_paths
    left join web_page_matches
        on web_paths.event_id = web_page_matches.event_id
        and web_page_matches.match_rank = 1
    left join track_event_activities
        on lower(trim(web_paths.event_name)) = lower(track_event_activities.event_name)
    left join web_channel_matches
        on web_paths.event_id = web_channel_matches.event_id
        and web_channel_matches.match_rank = 1
)

select * from final
