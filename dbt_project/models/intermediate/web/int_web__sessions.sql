with web_events as (
    -- sessions are made of the visitor's touchpoint events (page and track)
    select * from {{ ref('stg_web__events') }}
    where event_type in ('page', 'track')
),

settings as (
    select * from {{ ref('stg_config__rule_settings') }}
),

-- a session is one browser's (anonymousId's) visit; server-side calls with only a userId
-- are not time on site
visitor_events as (
    select
        anonymous_id as visitor_id,
        anonymous_id,
        event_id,
        {{ touchpoint_id("'web'", 'source_record_id') }} as touchpoint_id,
        occurred_at,
        lag(occurred_at) over (
            partition by anonymous_id
            order by occurred_at, event_id
        ) as previous_occurred_at
    from web_events
    where anonymous_id is not null
),

-- a gap of more than session_gap_minutes starts a new session
flagged as (
    select
        visitor_events.*,
        case
            when visitor_events.previous_occurred_at is null then 1
            when visitor_events.occurred_at
                > {{ dbt.dateadd(
                    'minute', 'settings.session_gap_minutes', 'visitor_events.previous_occurred_at'
                ) }}
                then 1
            else 0
        end as is_session_start
    from visitor_events
    cross join settings
),

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by visitor_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from flagged
),

sessionized as (
    select
        *,
        min(occurred_at) over (partition by visitor_id, session_number) as session_start_at,
        max(occurred_at) over (partition by visitor_id, session_number) as session_end_at,
        count(*) over (partition by visitor_id, session_number) as event_count
    from numbered
),

-- the first event at which the time on site exceeds long_session_minutes
long_session_events as (
    select
        sessionized.visitor_id,
        sessionized.session_number,
        sessionized.touchpoint_id,
        sessionized.occurred_at,
        row_number() over (
            partition by sessionized.visitor_id, sessionized.session_number
            order by sessionized.occurred_at, sessionized.event_id
        ) as crossing_rank
    from sessionized
    cross join settings
    where sessionized.occurred_at
        > {{ dbt.dateadd(
            'minute', 'settings.long_session_minutes', 'sessionized.session_start_at'
        ) }}
),

sessions as (
    -- exactly one session-start event per session
    select
        visitor_id,
        anonymous_id,
        session_number,
        session_start_at,
        session_end_at,
        event_count
    from sessionized
    where is_session_start = 1
),

final as (
    select
        {{ dbt.hash(
            "sessions.visitor_id || ':' || cast(sessions.session_number as "
            ~ dbt.type_string() ~ ")"
        ) }} as session_id,
        sessions.visitor_id,
        sessions.anonymous_id,
        sessions.session_number,
        sessions.session_start_at,
        sessions.session_end_at,
        {{ dbt.datediff('sessions.session_start_at', 'sessions.session_end_at', 'second') }}
            as duration_seconds,
        sessions.event_count,
        long_session_events.touchpoint_id as long_session_touchpoint_id,
        long_session_events.occurred_at as long_session_at
    from sessions
    left join long_session_events
        on sessions.visitor_id = long_session_events.visitor_id
        and sessions.session_number = long_session_events.session_number
        and long_session_events.crossing_rank = 1
)

select * from final
