"""`leadscore explain`: why a lead has its score, and who the lead is.

Everything comes from the marts (lead_profiles, lead_identities, lead_id_aliases, lead_scores,
score_ledger, touchpoints), so the answer is exactly what BI tools see; the connection is
read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from orchestration.identity_matching import comparison_weights
from orchestration.predictive.explain_lines import prediction_lines

# The lead of an email (any of its resolved emails, any case), a lead id or a retired id.
FIND_LEAD_SQL = """
with wanted as (select lower(trim(?)) as needle)
select lead_id from marts.lead_profiles, wanted where lead_id = needle or email = needle
union
select lead_id from marts.lead_identities, wanted
where key_type = 'email' and key_value = needle
union
select lead_id from marts.lead_id_aliases, wanted where alias_lead_id = needle
"""

PROFILE_SQL = """
select lead_id, email, email_source, first_name, first_name_source, last_name,
    last_name_source, company, company_source, title, title_source, industry, industry_source,
    employee_count, employee_count_source, country, country_source, crm_lead_id, channels,
    first_seen_at, last_seen_at, is_converted, converted_at, is_won
from marts.lead_profiles
where lead_id = $lead_id
"""

IDENTITIES_SQL = """
select source, key_type, key_value, link_kinds, match_probability, first_seen_at, last_seen_at
from marts.lead_identities
where lead_id = ?
order by key_type, key_value, source
"""

ALIASES_SQL = """
select alias_lead_id, alias_email from marts.lead_id_aliases where lead_id = ? order by 1
"""

_HAS_SCORES_SQL = """
select count(*) = 2 from information_schema.tables
where table_schema = 'marts' and table_name in ('lead_scores', 'score_ledger')
"""
_SCORE_SQL = """
    select as_of, fit_score, engagement_score, total_score, is_disqualified, fit_grade,
        engagement_tier, grid_cell, band, score_percentile, top_reasons, override_band,
        override_score, override_reason, overridden_by, override_until, rules_total_score,
        rules_band, team, owner, rules_version
    from marts.lead_scores
    where lead_id = $lead_id
"""
_POINTS_SQL = """
    select ledger.rule_kind, ledger.rule_id, ledger.rule_description, ledger.is_disqualifier,
        ledger.points, ledger.point_override, ledger.cap_effect, ledger.age_days,
        ledger.decay_factor, ledger.points_effective, ledger.occurred_at,
        touchpoints.source, touchpoints.channel, touchpoints.activity,
        touchpoints.source_record_id, touchpoints.load_id, context.source_record_id,
        ledger.decay_paused_at
    from marts.score_ledger as ledger
    left join marts.touchpoints as touchpoints
        on ledger.touchpoint_id = touchpoints.touchpoint_id
    left join marts.touchpoints as context
        on ledger.context_touchpoint_id = context.touchpoint_id
    where ledger.lead_id = $lead_id
    order by ledger.rule_kind desc, ledger.occurred_at nulls first, ledger.rule_id
"""


PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "title",
    "industry",
    "employee_count",
    "country",
)


@dataclass(frozen=True)
class Point:
    """One ledger row with the touchpoint (and so the source row) behind it."""

    rule_kind: str
    rule_id: str
    description: str
    is_disqualifier: bool
    points: float
    point_override: str | None
    cap_effect: float
    age_days: float | None
    decay_factor: float
    points_effective: float
    occurred_at: Any
    source: str | None
    channel: str | None
    activity: str | None
    source_record_id: str | None
    load_id: str | None
    context_record_id: str | None
    decay_paused_at: Any  # the stale source's last event, when its decay is paused


# The Splink pairs behind this lead's fuzzy ties (the pair the dbt model followed).
FUZZY_PAIRS_SQL = """
select fuzzy.left_key_type, fuzzy.left_key_value, fuzzy.right_key_value,
    fuzzy.match_probability, fuzzy.match_weight
from staging.stg_identity__fuzzy_matches as fuzzy
inner join marts.lead_identities as identities
    on fuzzy.left_key_type = identities.key_type
    and fuzzy.left_key_value = identities.key_value
    and list_contains(identities.link_kinds, 'fuzzy')
inner join marts.lead_identities as addresses
    on addresses.key_type = 'email'
    and fuzzy.right_key_value = addresses.key_value
    and addresses.lead_id = identities.lead_id
where identities.lead_id = ?
group by all
order by 1, 2, 3
"""


def _fuzzy_lines(
    connection: duckdb.DuckDBPyConnection, lead_id: str, model: dict[str, Any] | None
) -> list[str]:
    """Each fuzzy tie with its match weight, and the trained model's weight per level."""
    pairs = connection.execute(FUZZY_PAIRS_SQL, [lead_id]).fetchall()
    if not pairs:
        return []
    lines = ["Fuzzy matches (Splink; match weight = log2 Bayes factor, prior included):"]
    lines += [
        f"  {key_type} {key_value} -> {address}  p={probability:.4f}  weight={weight:.2f}"
        for key_type, key_value, address, probability, weight in pairs
    ]
    if model:
        prior = model.get("probability_two_random_records_match")
        lines.append(f"  model weights per comparison level (prior match probability {prior:.4g}):")
        lines += [
            f"    {name:<13} {level:<50} {'untrained' if weight is None else f'{weight:+.2f}'}"
            for name, level, weight in comparison_weights(model)
        ]
    return lines


def find_lead(connection: duckdb.DuckDBPyConnection, email_or_lead_id: str) -> str | None:
    """The lead id an email, lead id or retired lead id resolves to (None when unknown)."""
    rows = connection.execute(FIND_LEAD_SQL, [email_or_lead_id]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def explain_lead(
    connection: duckdb.DuckDBPyConnection, lead_id: str, model: dict[str, Any] | None = None
) -> list[str]:
    """The lead as lines: profile, score, every point behind it, identifiers, retired ids, and
    the fuzzy matches with their weights (`model`: the Splink model the run saved)."""
    lead = {"lead_id": lead_id}
    profile = _one(connection, PROFILE_SQL, lead)
    if profile is None:
        return []
    name = " ".join(str(part) for part in (profile["first_name"], profile["last_name"]) if part)
    heading = [f"Lead {profile['lead_id']}", profile["email"], name]
    lines = [
        "  ".join(part for part in heading if part)
        + (
            f"  (email from {profile['email_source']})"
            if profile["email"]
            else "  (no usable email: a lead of its own record)"
        ),
        *(
            f"  {field:<15} {profile[field]}  [{profile[field + '_source']}]"
            for field in PROFILE_FIELDS
            if profile[field] is not None
        ),
        f"  channels        {', '.join(profile['channels'] or [])}",
        f"  seen            {profile['first_seen_at']} .. {profile['last_seen_at']}",
        f"  converted       {profile['is_converted']} {profile['converted_at'] or ''}"
        f"  won {profile['is_won']}  crm lead {profile['crm_lead_id'] or '-'}",
        "",
    ]
    # a warehouse built only up to the profiles (a partial dbt run) has no scores yet
    scored = connection.execute(_HAS_SCORES_SQL).fetchall()[0][0]
    score = _one(connection, _SCORE_SQL, lead) if scored else None
    if score is None:
        lines.append("No score (the lead has not been scored yet).")
    else:
        points = [Point(*row) for row in connection.execute(_POINTS_SQL, lead).fetchall()]
        lines += _score_lines(score)
        lines += _paused_decay_lines(points)
        lines += prediction_lines(connection, lead_id)
        lines += ["", "Points (rule, points, caps, decay, effective; touchpoint and source row):"]
        lines += [_point_line(point) for point in points]
    lines += ["", "Identifiers (source, key type, key, how the source tied it, first seen):"]
    for source, key_type, key_value, kinds, probability, first_seen, _ in connection.execute(
        IDENTITIES_SQL, [lead_id]
    ).fetchall():
        match = f" p={probability:.4f}" if probability is not None else ""
        lines.append(
            f"  {source:<8} {key_type:<22} {key_value}  [{', '.join(kinds)}{match}]  {first_seen}"
        )
    aliases = connection.execute(ALIASES_SQL, [lead_id]).fetchall()
    if aliases:
        lines.append("Retired ids (aliases of this lead):")
        lines.extend(
            f"  {alias}  (from {email or 'a record without email'})" for alias, email in aliases
        )
    lines += _fuzzy_lines(connection, lead_id, model)
    return lines


def _one(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, str]
) -> dict[str, Any] | None:
    cursor = connection.execute(sql, parameters)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


def _score_lines(score: dict[str, Any]) -> list[str]:
    lines = [
        f"Score as of {score['as_of']} (rules {score['rules_version']}): "
        f"total {score['total_score']:.2f} = fit {score['fit_score']:.2f} + engagement "
        f"{score['engagement_score']:.2f}; grade {score['fit_grade']}, tier "
        f"{score['engagement_tier']}, cell {score['grid_cell']}, band {score['band'].upper()}, "
        f"percentile {score['score_percentile']}",
    ]
    if score["is_disqualified"]:
        lines.append("  DISQUALIFIED: the total is 0 whatever the points (see the rule below)")
    if score["overridden_by"] is not None:
        lines.append(
            f"  OVERRIDE by {score['overridden_by']} until {score['override_until'] or 'removed'}: "
            f"{score['override_reason']} (rules said {score['rules_total_score']:.2f}, "
            f"{score['rules_band']})"
        )
    lines.append(f"  owner {score['owner'] or '-'} (team {score['team'] or '-'})")
    lines.append(f"  top reasons: {score['top_reasons'] or '-'}")
    return lines


def _paused_decay_lines(points: list[Point]) -> list[str]:
    """One line per stale source whose points stopped decaying for this lead."""
    paused = sorted({(p.source, p.decay_paused_at) for p in points if p.decay_paused_at})
    return [
        f"  DECAY PAUSED for {source} points: the {source} feed is stale (no events since "
        f"{last_event:%Y-%m-%d %H:%M} UTC), so they age only up to then"
        for source, last_event in paused
    ]


def _point_line(point: Point) -> str:
    text = f"  {point.rule_kind:<10} {point.rule_id:<32} {point.points:+7.2f}"
    if point.point_override:
        text += f" ({point.point_override})"
    if point.cap_effect:
        text += f" cap {point.cap_effect:+.2f}"
    if point.age_days is not None:
        text += f" x{point.decay_factor:.4f} ({point.age_days:.1f} d old"
        text += ", decay paused)" if point.decay_paused_at is not None else ")"
    text += f" = {point.points_effective:+.2f}"
    if point.is_disqualifier:
        text += "  DISQUALIFIES"
    if point.source_record_id is not None:
        text += (
            f"  <- {point.occurred_at:%Y-%m-%d %H:%M} {point.channel}/{point.activity} "
            f"{point.source} row {point.source_record_id} (load {point.load_id})"
        )
    if point.context_record_id is not None:
        text += f" after {point.context_record_id}"
    return text
