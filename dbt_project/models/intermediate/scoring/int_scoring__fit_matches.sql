with profiles as (
    select * from {{ ref('lead_profiles') }}
),

fit_rules as (
    select * from {{ ref('stg_config__fit_rules') }}
),

-- the profile fields fit rules can test, one row per lead and field
profile_fields as (
    select
        lead_id, 'industry' as field, industry as text_value,
        cast(null as {{ dbt.type_float() }}) as number_value
    from profiles
    union all
    select
        lead_id, 'employee_count', cast(employee_count as {{ dbt.type_string() }}),
        cast(employee_count as {{ dbt.type_float() }})
    from profiles
    union all
    select lead_id, 'title', title, cast(null as {{ dbt.type_float() }})
    from profiles
    union all
    select lead_id, 'email_domain', email_domain, cast(null as {{ dbt.type_float() }})
    from profiles
    union all
    select lead_id, 'country', country, cast(null as {{ dbt.type_float() }})
    from profiles
),

-- rules are tried once per distinct value of a field, not once per lead: a regular
-- expression read from a column is compiled for every row it is tried on
field_values as (
    select distinct field, text_value, number_value
    from profile_fields
    where text_value is not null
),

value_rules as (
    select
        field_values.field,
        field_values.text_value,
        field_values.number_value,
        fit_rules.rule_id
    from field_values
    inner join fit_rules
        on field_values.field = fit_rules.field
    where
        (
            fit_rules.match_type = 'in_list'
            and {{ list_contains_lower('fit_rules.list_values', 'field_values.text_value') }}
        )
        or (
            fit_rules.match_type = 'between'
            and field_values.number_value is not null
            and (
                fit_rules.min_value is null
                or field_values.number_value >= fit_rules.min_value
            )
            and (
                fit_rules.max_value is null
                or field_values.number_value <= fit_rules.max_value
            )
        )
        or (
            fit_rules.match_type = 'pattern'
            and {{ regex_matches_ci('field_values.text_value', 'fit_rules.pattern') }}
        )
),

fit_matches as (
    select
        profile_fields.lead_id,
        fit_rules.*
    from profile_fields
    inner join value_rules
        on profile_fields.field = value_rules.field
        and profile_fields.text_value = value_rules.text_value
        and profile_fields.number_value is not distinct from value_rules.number_value
    inner join fit_rules
        on value_rules.rule_id = fit_rules.rule_id
),

-- within an exclusive group only the matching rule with the lowest priority applies
applied_fit_matches as (
    {{ exclusive_group_winners('fit_matches', 'lead_id') }}
),

final as (
    select
        lead_id,
        rule_id,
        rule_group,
        field,
        rule_description,
        is_disqualifier,
        points
    from applied_fit_matches
)

select * from final
