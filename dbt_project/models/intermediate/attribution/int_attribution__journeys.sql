{#- One row per journey and touchpoint. A converting journey is the touchpoints of a
    conversion's lead, every channel but `sales`, in [converted_at - 90 days, converted_at]
    (both ends included); a non-converting journey is a lead's touchpoints in the same window
    before the as-of instant. Touchpoints at one instant are ordered by touchpoint_id.
    A conversion with no eligible touchpoint has no row here (it gets no credit). -#}
with conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

profiles as (
    select * from {{ ref('lead_profiles') }}
),

touchpoints as (
    select * from {{ ref('touchpoints') }}
    where lead_id is not null
        and channel <> 'sales'
),

journey_ends as (
    select
        conversion_id as journey_id,
        conversion_id,
        lead_id,
        true as is_conversion,
        converted_at as journey_end_at,
        revenue
    from conversions

    union all

    select
        profiles.lead_id,
        cast(null as {{ dbt.type_string() }}),
        profiles.lead_id,
        false,
        {{ as_of_timestamp() }},
        0
    from profiles
    where not profiles.is_converted
),

journey_touchpoints as (
    select
        journey_ends.journey_id,
        journey_ends.conversion_id,
        journey_ends.lead_id,
        journey_ends.is_conversion,
        journey_ends.journey_end_at,
        journey_ends.revenue,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        touchpoints.campaign,
        touchpoints.occurred_at
    from journey_ends
    inner join touchpoints
        on journey_ends.lead_id = touchpoints.lead_id
        and touchpoints.occurred_at <= journey_ends.journey_end_at
        and touchpoints.occurred_at >= {{ dbt.dateadd('day', -90, 'journey_ends.journey_end_at') }}
),

final as (
    select
        *,
        row_number() over (
            partition by journey_id
            order by occurred_at, touchpoint_id
        ) as touchpoint_rank,
        count(*) over (partition by journey_id) as touchpoint_count,
        {{ elapsed_days('occurred_at', 'journey_end_at') }} as days_before_end
    from journey_touchpoints
)

select * from final
