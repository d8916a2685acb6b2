"""`leadscore explain`: why a lead has its score, point by point, read from the warehouse.

Everything comes from the marts (lead_profiles, lead_identities, lead_scores, score_ledger,
touchpoints), so the answer is exactly what BI tools see; the connection is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

_PROFILE_SQL = """
    select lead_id, email, first_name, last_name, company, title, industry, employee_count,
        country, channels, first_seen_at, last_seen_at, is_converted
    from marts.lead_profiles
    where lead_id = $key or email = lower(trim($key))
"""
_IDENTITIES_SQL = """
    select source, key_type, key_value, first_seen_at
    from marts.lead_identities
    where lead_id = $lead_id
    order by first_seen_at nulls last, source, key_type, key_value
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
        touchpoints.source_record_id, touchpoints.load_id, context.source_record_id
    from marts.score_ledger as ledger
    left join marts.touchpoints as touchpoints
        on ledger.touchpoint_id = touchpoints.touchpoint_id
    left join marts.touchpoints as context
        on ledger.context_touchpoint_id = context.touchpoint_id
    where ledger.lead_id = $lead_id
    order by ledger.rule_kind desc, ledger.occurred_at nulls first, ledger.rule_id
"""


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


@dataclass(frozen=True)
class Explanation:
    profile: dict[str, Any]
    identities: list[tuple[Any, ...]]
    score: dict[str, Any] | None
    points: list[Point]


def explain_lead(connection: duckdb.DuckDBPyConnection, key: str) -> Explanation | None:
    """The lead whose lead_id or email is `key`, with everything behind its score."""
    profile = _one(connection, _PROFILE_SQL, {"key": key.strip()})
    if profile is None:
        return None
    lead = {"lead_id": profile["lead_id"]}
    identities = connection.execute(_IDENTITIES_SQL, lead).fetchall()
    score = _one(connection, _SCORE_SQL, lead)
    points = [Point(*row) for row in connection.execute(_POINTS_SQL, lead).fetchall()]
    return Explanation(profile, identities, score, points)


def _one(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, str]
) -> dict[str, Any] | None:
    cursor = connection.execute(sql, parameters)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


def format_explanation(explanation: Explanation) -> list[str]:
    """The explanation as lines for a terminal."""
    profile, score = explanation.profile, explanation.score
    name = " ".join(str(part) for part in (profile["first_name"], profile["last_name"]) if part)
    lines = [
        f"Lead {profile['lead_id']}  {profile['email']}  {name}".rstrip(),
        f"  {profile['title'] or '-'} at {profile['company'] or '-'} "
        f"(industry {profile['industry'] or '-'}, {profile['employee_count'] or '-'} employees, "
        f"country {profile['country'] or '-'})",
        f"  channels {', '.join(profile['channels'] or [])}; first seen "
        f"{profile['first_seen_at']}, last seen {profile['last_seen_at']}",
        "",
        "Identities (source, key type, key value, first seen):",
    ]
    lines += [
        f"  {src:<8} {kind:<22} {value}  {seen}"
        for src, kind, value, seen in explanation.identities
    ]
    lines.append("")
    if score is None:
        lines.append("No score (the lead has not been scored yet).")
        return lines
    lines += _score_lines(score)
    lines += ["", "Points (rule, points, caps, decay, effective; touchpoint and source row):"]
    lines += [_point_line(point) for point in explanation.points]
    return lines


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


def _point_line(point: Point) -> str:
    text = f"  {point.rule_kind:<10} {point.rule_id:<32} {point.points:+7.2f}"
    if point.point_override:
        text += f" ({point.point_override})"
    if point.cap_effect:
        text += f" cap {point.cap_effect:+.2f}"
    if point.age_days is not None:
        text += f" x{point.decay_factor:.4f} ({point.age_days:.1f} d old)"
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
