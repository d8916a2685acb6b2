with priced_matches as (
    select * from {{ ref('int_scoring__priced_matches') }}
),

group_caps as (
    select * from {{ ref('stg_config__group_caps') }}
),

-- caps count face points (before decay) of the lead's earlier occurrences in the window
-- ending at this one, so no window of that length ever holds more than the cap: first the
-- rule's own cap, then its group's over what the rule caps left
rule_capped as (
    {{ windowed_cap(
        'priced_matches', 'rule_id', 'points', 'cap_max_points', 'cap_window_days',
        'points_after_rule_cap'
    ) }}
),

with_group_caps as (
    select
        rule_capped.*,
        group_caps.max_points as group_cap_max_points,
        group_caps.window_days as group_cap_window_days
    from rule_capped
    left join group_caps
        on rule_capped.rule_group = group_caps.rule_group
),

group_capped as (
    {{ windowed_cap(
        'with_group_caps', 'rule_group', 'points_after_rule_cap', 'group_cap_max_points',
        'group_cap_window_days', 'points_after_caps'
    ) }}
),

final as (
    select
        lead_id,
        touchpoint_id,
        source,
        occurred_at,
        rule_id,
        rule_group,
        rule_description,
        rule_subject,
        context_touchpoint_id,
        point_override,
        rule_points,
        points,
        points_after_rule_cap,
        points_after_caps
    from group_capped
)

select * from final
