-- the scoring stages (int_scoring__*) match, price and cap every point; here they decay
-- and fit and engagement become one ledger
with capped_points as (
    select * from {{ ref('int_scoring__capped_points') }}
),

fit_matches as (
    select * from {{ ref('int_scoring__fit_matches') }}
),

decay as (
    select * from {{ ref('stg_config__decay') }}
),

decay_steps as (
    select * from {{ ref('stg_config__decay_steps') }}
),

settings as (
    select * from {{ ref('stg_config__rule_settings') }}
),

-- a stale source pauses decay: its points age only up to its last event (source_freshness)
stale_sources as (
    select * from {{ ref('source_freshness') }}
    where is_stale
),

aged as (
    select
        capped_points.*,
        -- age from the event to the as-of instant (or to the last event of a stale
        -- source), in days (microsecond precision)
        {{ elapsed_days(
            'capped_points.occurred_at',
            'coalesce(stale_sources.last_event_at, ' ~ as_of_timestamp() ~ ')',
        ) }} as age_days,
        stale_sources.last_event_at as decay_paused_at
    from capped_points
    left join stale_sources
        on capped_points.source = stale_sources.source
),

-- a group without its own decay follows the default (the row with a null rule_group)
decay_choices as (
    select
        aged.touchpoint_id,
        aged.rule_id,
        case when group_decay.decay_model is null then null else aged.rule_group end as decay_group,
        coalesce(group_decay.decay_model, default_decay.decay_model) as decay_model,
        coalesce(group_decay.half_life_days, default_decay.half_life_days) as half_life_days
    from aged
    left join decay as group_decay
        on aged.rule_group = group_decay.rule_group
    left join decay as default_decay
        on default_decay.rule_group is null
),

-- a stepwise decay takes the factor of the last step the age has reached
step_factors as (
    select
        aged.touchpoint_id,
        aged.rule_id,
        decay_steps.factor,
        row_number() over (
            partition by aged.touchpoint_id, aged.rule_id
            order by decay_steps.after_days desc
        ) as step_rank
    from aged
    inner join decay_choices
        on aged.touchpoint_id = decay_choices.touchpoint_id
        and aged.rule_id = decay_choices.rule_id
    inner join decay_steps
        on decay_steps.rule_group is not distinct from decay_choices.decay_group
        and decay_steps.after_days <= aged.age_days
    where decay_choices.decay_model = 'steps'
),

decayed as (
    select
        aged.*,
        decay_choices.decay_model,
        case
            when decay_choices.decay_model = 'half_life'
                then power(0.5, aged.age_days / decay_choices.half_life_days)
            when decay_choices.decay_model = 'steps' then coalesce(step_factors.factor, 1)
            else 1
        end as decay_factor
    from aged
    inner join decay_choices
        on aged.touchpoint_id = decay_choices.touchpoint_id
        and aged.rule_id = decay_choices.rule_id
    left join step_factors
        on aged.touchpoint_id = step_factors.touchpoint_id
        and aged.rule_id = step_factors.rule_id
        and step_factors.step_rank = 1
),

engagement_rows as (
    select
        lead_id,
        touchpoint_id,
        rule_id,
        rule_group,
        'engagement' as rule_kind,
        rule_subject,
        rule_description,
        cast(false as boolean) as is_disqualifier,
        context_touchpoint_id,
        point_override,
        rule_points,
        points,
        points_after_caps,
        age_days,
        decay_paused_at,
        decay_model,
        decay_factor,
        occurred_at
    from decayed
),

-- fit never decays and has no caps
fit_rows as (
    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        rule_id,
        rule_group,
        'fit' as rule_kind,
        field as rule_subject,
        rule_description,
        is_disqualifier,
        cast(null as {{ dbt.type_string() }}) as context_touchpoint_id,
        cast(null as {{ dbt.type_string() }}) as point_override,
        coalesce(points, 0) as rule_points,
        coalesce(points, 0) as points,
        coalesce(points, 0) as points_after_caps,
        cast(null as {{ dbt.type_float() }}) as age_days,
        cast(null as {{ dbt.type_timestamp() }}) as decay_paused_at,
        cast(null as {{ dbt.type_string() }}) as decay_model,
        cast(1 as {{ dbt.type_float() }}) as decay_factor,
        cast(null as {{ dbt.type_timestamp() }}) as occurred_at
    from fit_matches
),

all_rows as (
    select * from engagement_rows
    union all
    select * from fit_rows
),

final as (
    select
        {{ dbt.hash(
            "all_rows.lead_id || ':' || all_rows.rule_id || ':' "
            ~ "|| coalesce(all_rows.touchpoint_id, '')"
        ) }} as ledger_id,
        all_rows.lead_id,
        all_rows.touchpoint_id,
        all_rows.rule_id,
        all_rows.rule_group,
        all_rows.rule_kind,
        all_rows.rule_subject,
        all_rows.rule_description,
        all_rows.is_disqualifier,
        all_rows.context_touchpoint_id,
        all_rows.point_override,
        all_rows.rule_points,
        all_rows.points,
        all_rows.points_after_caps,
        all_rows.points_after_caps - all_rows.points as cap_effect,
        all_rows.age_days,
        all_rows.decay_paused_at,
        all_rows.decay_model,
        all_rows.decay_factor,
        all_rows.points_after_caps * all_rows.decay_factor as points_effective,
        all_rows.occurred_at,
        {{ as_of_timestamp() }} as as_of,
        settings.rules_version
    from all_rows
    cross join settings
)

select * from final
