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

fit_matches as (
    select
        profile_fields.lead_id,
        fit_rules.*
    from profile_fields
    inner join fit_rules
        on profile_fields.field = fit_rules.field
    where profile_fields.text_value is not null
        and (
            (
                fit_rules.match_type = 'in_list'
                and {{ list_contains_ci('fit_rules.list_values', 'profile_fields.text_value') }}
            )
            or (
                fit_rules.match_type = 'between'
                and profile_fields.number_value is not null
                and (
                    fit_rules.min_value is null
                    or profile_fields.number_value >= fit_rules.min_value
                )
                and (
                    fit_rules.max_value is null
                    or profile_fields.number_value <= fit_rules.max_value
                )
            )
            or (
                fit_rules.match_type = 'pattern'
                and {{ regex_matches_ci('profile_fields.text_value', 'fit_rules.pattern') }}
            )
        )
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
