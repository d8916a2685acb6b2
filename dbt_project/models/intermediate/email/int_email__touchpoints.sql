with email_events as (
    select * from {{ ref('stg_email__events') }}
    -- Apple Mail privacy opens are made by a machine, not by the person
    where not is_machine_open
),

email_event_activities as (
    select * from {{ ref('email_event_activities') }}
),

final as (
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
        email_events.event_type as event_name,
        email_events.category as detail
    from email_events
    -- processed, deferred, dropped and bounce are delivery mechanics, not touchpoints
    inner join email_event_activities
        on email_events.event_type = email_event_activities.event_type
)

select * from final
