"""Score observability: drift against the previous scored day, hot-lead jumps, big movers."""

from __future__ import annotations

from typing import Any

import dagster as dg

from orchestration.resources import QualityResource, WarehouseResource
from quality.score_drift import band_psi, total_score_psi

LEAD_SCORE_HISTORY_KEY = dg.AssetKey(["marts", "lead_score_history"])

# The two newest scored days of the history (the run's and the one before).
TWO_DAYS_SQL = """
select distinct date from marts.lead_score_history order by date desc limit 2
"""

DAY_SCORES_SQL = """
select total_score, band from marts.lead_score_history where date = ?
"""

# Leads scored on both days, by how far their total moved, largest first.
MOVES_SQL = """
select
    today.lead_id,
    yesterday.total_score as previous_total,
    today.total_score as total,
    today.total_score - yesterday.total_score as moved
from marts.lead_score_history as today
inner join marts.lead_score_history as yesterday
    on today.lead_id = yesterday.lead_id
where today.date = ? and yesterday.date = ?
    and abs(today.total_score - yesterday.total_score) > ?
order by abs(today.total_score - yesterday.total_score) desc, today.lead_id
"""

LISTED_MOVERS = 10


NOTHING_TO_COMPARE = dg.AssetCheckResult(
    passed=True,
    severity=dg.AssetCheckSeverity.WARN,
    description="fewer than two scored days in lead_score_history: nothing to compare yet",
)


def _two_newest_days(
    warehouse: WarehouseResource,
) -> tuple[list[Any], list[tuple[Any, ...]], list[tuple[Any, ...]]] | None:
    """(the two newest dates, their (total, band) rows, newest first), or None with fewer."""
    with warehouse.connect(read_only=True) as connection:
        dates = [row[0] for row in connection.execute(TWO_DAYS_SQL).fetchall()]
        if len(dates) < 2:
            return None
        today = connection.execute(DAY_SCORES_SQL, [dates[0]]).fetchall()
        yesterday = connection.execute(DAY_SCORES_SQL, [dates[1]]).fetchall()
    return dates, today, yesterday


@dg.asset_check(
    asset=LEAD_SCORE_HISTORY_KEY,
    name="score_distribution_drift",
    description="Population stability index (PSI) of the total scores (binned by the "
    "previous day's deciles) and of the band mix, newest scored day against the one before. "
    "Warns above `scores.psi_warn` (quality/freshness.yml; 0.1 is a small shift, 0.25 a "
    "large one).\n\n**If it fails:** the scores moved as a population: a rules change, a "
    "source that came back with a backlog or went silent, a broken identity merge. Compare "
    "rules_version and source freshness between the two days before sales acts on them.",
    pool="duckdb",
)
def score_distribution_drift(
    warehouse: WarehouseResource, quality: QualityResource
) -> dg.AssetCheckResult:
    limit = quality.thresholds().scores.psi_warn
    days = _two_newest_days(warehouse)
    if days is None:
        return NOTHING_TO_COMPARE
    dates, today, yesterday = days
    totals_psi = total_score_psi([r[0] for r in yesterday], [r[0] for r in today])
    bands_psi = band_psi([r[1] for r in yesterday], [r[1] for r in today])
    worst = max(totals_psi, bands_psi)
    return dg.AssetCheckResult(
        passed=worst <= limit,
        severity=dg.AssetCheckSeverity.WARN,
        description=None
        if worst <= limit
        else f"scores drifted from {dates[1]} to {dates[0]}: PSI totals {totals_psi:.3f}, "
        f"bands {bands_psi:.3f} (limit {limit})",
        metadata={
            "date": str(dates[0]),
            "previous_date": str(dates[1]),
            "psi_total_score": round(totals_psi, 4),
            "psi_band": round(bands_psi, 4),
            "psi_warn": limit,
            "leads": len(today),
            "previous_leads": len(yesterday),
        },
    )


@dg.asset_check(
    asset=LEAD_SCORE_HISTORY_KEY,
    name="hot_lead_jump",
    description="Warns when the hot leads of the newest scored day are more than "
    "`scores.hot_jump_ratio` times those of the day before (and at least "
    "`hot_jump_min_leads` more).\n\n**If it fails:** sales is about to get a wave of hot "
    "leads at once. Real campaigns do that, but so do duplicated events, a replayed feed or "
    "a rules change: look at the newest loads' volume checks and at a few of the new hot "
    "leads with `leadscore explain` before routing them.",
    pool="duckdb",
)
def hot_lead_jump(warehouse: WarehouseResource, quality: QualityResource) -> dg.AssetCheckResult:
    limits = quality.thresholds().scores
    days = _two_newest_days(warehouse)
    if days is None:
        return NOTHING_TO_COMPARE
    dates, today, yesterday = days
    hot_now = sum(1 for _, band in today if band == "hot")
    hot_before = sum(1 for _, band in yesterday if band == "hot")
    jumped = (
        hot_now - hot_before >= limits.hot_jump_min_leads
        and hot_now > limits.hot_jump_ratio * hot_before
    )
    return dg.AssetCheckResult(
        passed=not jumped,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"hot leads jumped from {hot_before} on {dates[1]} to {hot_now} on {dates[0]}"
        if jumped
        else None,
        metadata={
            "date": str(dates[0]),
            "hot_leads": hot_now,
            "previous_hot_leads": hot_before,
            "ratio": round(hot_now / hot_before, 3) if hot_before else None,
            "hot_jump_ratio": limits.hot_jump_ratio,
        },
    )


@dg.asset_check(
    asset=LEAD_SCORE_HISTORY_KEY,
    name="daily_score_moves",
    description="Warns when a lead's total moved more than `scores.max_daily_move` points "
    "between the two newest scored days, and lists the largest moves.\n\n**If it fails:** "
    "one lead's score jumped or fell at once: a burst of events (a bot, a replay), an "
    "identity merge of two people, or an override. Run `leadscore explain <lead_id>` on the "
    "listed leads.",
    pool="duckdb",
)
def daily_score_moves(
    warehouse: WarehouseResource, quality: QualityResource
) -> dg.AssetCheckResult:
    limit = quality.thresholds().scores.max_daily_move
    days = _two_newest_days(warehouse)
    if days is None:
        return NOTHING_TO_COMPARE
    dates = days[0]
    with warehouse.connect(read_only=True) as connection:
        moves = connection.execute(MOVES_SQL, [dates[0], dates[1], limit]).fetchall()
    return dg.AssetCheckResult(
        passed=not moves,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(moves)} leads moved more than {limit:g} points from {dates[1]} to "
        f"{dates[0]} (largest: {moves[0][0]} {moves[0][3]:+.2f})"
        if moves
        else None,
        metadata={
            "date": str(dates[0]),
            "previous_date": str(dates[1]),
            "leads_over_limit": len(moves),
            "max_daily_move": limit,
            "largest_moves": dg.MetadataValue.json(
                [
                    {
                        "lead_id": lead,
                        "previous": float(before),
                        "total": float(total),
                        "moved": float(moved),
                    }
                    for lead, before, total, moved in moves[:LISTED_MOVERS]
                ]
            ),
        },
    )


SCORE_CHECKS = [score_distribution_drift, hot_lead_jump, daily_score_moves]
