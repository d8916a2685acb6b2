with profiles as (
    select * from {{ ref('lead_profiles') }}
),

routing_rules as (
    select * from {{ ref('stg_config__routing_rules') }}
),

routing_teams as (
    select * from {{ ref('stg_config__routing_teams') }}
),

team_sizes as (
    select
        team,
        max(is_default) as is_default,
        count(*) as team_size
    from routing_teams
    group by team
),

-- territory (country) and skill (industry): the first rule whose every list holds the lead
rule_matches as (
    select
        profiles.lead_id,
        routing_rules.team,
        row_number() over (
            partition by profiles.lead_id
            order by routing_rules.position
        ) as match_rank
    from profiles
    inner join routing_rules
        on (
            routing_rules.countries is null
            or {{ list_contains_lower('routing_rules.countries', 'profiles.country') }}
        )
        and (
            routing_rules.industries is null
            or {{ list_contains_lower('routing_rules.industries', 'profiles.industry') }}
        )
),

lead_teams as (
    select
        profiles.lead_id,
        profiles.first_seen_at,
        coalesce(rule_matches.team, default_team.team) as team
    from profiles
    left join rule_matches
        on profiles.lead_id = rule_matches.lead_id
        and rule_matches.match_rank = 1
    left join team_sizes as default_team
        on default_team.is_default
),

-- round-robin inside a team in the order leads were first seen: an earlier lead keeps its
-- owner when later leads arrive
team_turns as (
    select
        lead_teams.lead_id,
        lead_teams.team,
        row_number() over (
            partition by lead_teams.team
            order by lead_teams.first_seen_at nulls last, lead_teams.lead_id
        ) - 1 as turn
    from lead_teams
    where lead_teams.team is not null
),

final as (
    select
        team_turns.lead_id,
        team_turns.team,
        routing_teams.owner
    from team_turns
    inner join team_sizes
        on team_turns.team = team_sizes.team
    inner join routing_teams
        on team_turns.team = routing_teams.team
        and routing_teams.position = team_turns.turn % team_sizes.team_size + 1
)

select * from final
