{#-
    How fresh each source is at the as-of instant, by its newest event. The silence limits
    come from the dbt var `source_max_silence_hours` ({source: hours}; orchestration passes
    quality/freshness.yml); a source without a limit is reported but never stale.
-#}
{%- set limits = var('source_max_silence_hours', {}) -%}

with touchpoints as (
    select * from {{ ref('int_touchpoints__unioned') }}
    where occurred_at <= {{ as_of_timestamp() }}
),

limits as (
    {%- for source, hours in limits.items() %}
    select
        cast('{{ source }}' as {{ dbt.type_string() }}) as source,
        cast({{ hours | float }} as {{ dbt.type_float() }}) as max_silence_hours
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as {{ dbt.type_float() }}) as max_silence_hours
    where 1 = 0
    {%- endfor %}
),

latest_events as (
    select
        source,
        max(occurred_at) as last_event_at
    from touchpoints
    group by source
),

sources as (
    select source from latest_events
    union
    select source from limits
),

silences as (
    select
        sources.source,
        latest_events.last_event_at,
        limits.max_silence_hours,
        (
            {{ dbt.datediff('latest_events.last_event_at', as_of_timestamp(), 'second') }}
        ) / 3600.0 as hours_silent
    from sources
    left join latest_events
        on sources.source = latest_events.source
    left join limits
        on sources.source = limits.source
),

final as (
    select
        source,
        last_event_at,
        {{ as_of_timestamp() }} as as_of,
        hours_silent,
        max_silence_hours,
        coalesce(
            max_silence_hours is not null
            and (last_event_at is null or hours_silent > max_silence_hours),
            false
        ) as is_stale
    from silences
)

select * from final
