{#- Every row of `relation` with `capped_column`: its `points_column` cut so that the lead's
    rows of the same `partition_column` (a rule, a rule group) never hold more than
    `max_points_column` in any window of `window_days_column` days (no window: ever). Earlier
    rows come first, in the order occurred_at, touchpoint_id, rule_id; a row whose maximum is
    null keeps its points. `relation` has lead_id, touchpoint_id, rule_id and occurred_at, one
    row per touchpoint_id and rule_id. -#}
{% macro windowed_cap(
    relation, partition_column, points_column, max_points_column, window_days_column, capped_column
) -%}
    select
        current_row.*,
        case
            when current_row.{{ max_points_column }} is null then current_row.{{ points_column }}
            else least(
                current_row.{{ points_column }},
                greatest(current_row.{{ max_points_column }} - coalesce(prior_rows.prior_points, 0), 0)
            )
        end as {{ capped_column }}
    from {{ relation }} as current_row
    left join (
        -- the points of the lead's earlier rows in the window ending at this one
        select
            current_row.touchpoint_id,
            current_row.rule_id,
            sum(earlier.{{ points_column }}) as prior_points
        from {{ relation }} as current_row
        inner join {{ relation }} as earlier
            on current_row.lead_id = earlier.lead_id
            and current_row.{{ partition_column }} = earlier.{{ partition_column }}
            and (
                earlier.occurred_at < current_row.occurred_at
                or (
                    earlier.occurred_at = current_row.occurred_at
                    and (
                        earlier.touchpoint_id < current_row.touchpoint_id
                        or (
                            earlier.touchpoint_id = current_row.touchpoint_id
                            and earlier.rule_id < current_row.rule_id
                        )
                    )
                )
            )
            and (
                current_row.{{ window_days_column }} is null
                or earlier.occurred_at > {{ dbt.dateadd(
                    'day', '-1 * current_row.' ~ window_days_column, 'current_row.occurred_at'
                ) }}
            )
        where current_row.{{ max_points_column }} is not null
        group by current_row.touchpoint_id, current_row.rule_id
    ) as prior_rows
        on current_row.touchpoint_id = prior_rows.touchpoint_id
        and current_row.rule_id = prior_rows.rule_id
{%- endmacro %}
