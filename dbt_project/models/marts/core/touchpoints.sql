-- depends_on: {{ ref('activities') }}
-- (the vocabulary seed: so the `relationships` test on activity runs in any selection
-- that builds this model, the seed being one of its ancestors)
with unioned_touchpoints as (
    select * from {{ ref('int_touchpoints__unioned') }}
),

key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

resolved as (
    select
        unioned_touchpoints.*,
        -- a web event's anonymousId decides; its userId only when the browser is unknown
        coalesce(primary_keys.lead_id, fallback_keys.lead_id) as lead_id
    from unioned_touchpoints
    left join key_leads as primary_keys
        on unioned_touchpoints.identity_key_type = primary_keys.key_type
        and unioned_touchpoints.identity_key_value = primary_keys.key_value
    left join key_leads as fallback_keys
        on unioned_touchpoints.fallback_key_type = fallback_keys.key_type
        and unioned_touchpoints.fallback_key_value = fallback_keys.key_value
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
        url,
        page_path,
        event_name,
        detail,
        duration_seconds,
        identity_key_type,
        identity_key_value,
        source_record_id,
        load_id
    from resolved
)

select * from final
