-- what the engagement rules score: the touchpoints of known leads, at or before as-of
with touchpoints as (
    select * from {{ ref('touchpoints') }}
),

final as (
    select
        touchpoint_id,
        lead_id,
        source,
        channel,
        activity,
        occurred_at,
        campaign,
        page_path,
        url,
        event_name,
        detail,
        duration_seconds
    from touchpoints
    where lead_id is not null
        and occurred_at <= {{ as_of_timestamp() }}
)

select * from final
