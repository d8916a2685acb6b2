{#- Per group of `group_columns`: the leads an exposure reached before they converted (or at
    any time, for a lead that has not converted), how many of those converted, their
    conversion rate and its lift over the base rate of every lead in `leads`.
    `exposures` is a relation with lead_id, occurred_at (null = timeless, e.g. a fit rule) and
    the group columns; `leads` one with lead_id, is_converted, converted_at. -#}
{% macro conversion_lift(exposures, leads, group_columns) -%}
    {%- set groups = group_columns | join(', ') -%}
    with base as (
        select
            avg(cast(case when is_converted then 1 else 0 end as {{ type_double() }})) as base_rate
        from {{ leads }}
    ),

    lead_exposures as (
        select
            {% for column in group_columns %}exposures.{{ column }}, {% endfor %}
            exposures.lead_id,
            max(case when outcome_leads.is_converted then 1 else 0 end) as is_converted,
            count(*) as exposures
        from {{ exposures }} as exposures
        inner join {{ leads }} as outcome_leads
            on exposures.lead_id = outcome_leads.lead_id
        where not outcome_leads.is_converted
            or exposures.occurred_at is null
            or exposures.occurred_at <= outcome_leads.converted_at
        group by {% for column in group_columns %}exposures.{{ column }}, {% endfor %}exposures.lead_id
    )

    select
        {{ groups }},
        count(*) as leads_hit,
        sum(lead_exposures.exposures) as exposures,
        sum(lead_exposures.is_converted) as converted,
        sum(lead_exposures.is_converted) * 1.0 / count(*) as conversion_rate,
        base.base_rate,
        case
            when base.base_rate > 0
                then sum(lead_exposures.is_converted) * 1.0 / count(*) / base.base_rate
        end as lift
    from lead_exposures
    cross join base
    group by {{ groups }}, base.base_rate
{%- endmacro %}
