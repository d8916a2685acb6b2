"""Freshness and volume per source: is the feed silent, or is its newest load far off?"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

from orchestration.resources import QualityResource, WarehouseResource
from quality.volume import volume_verdict

SOURCE_FRESHNESS_KEY = dg.AssetKey(["marts", "source_freshness"])
SOURCE_LOADS_KEY = dg.AssetKey(["marts", "source_loads"])

FRESHNESS_SQL = """
select last_event_at, hours_silent, max_silence_hours, is_stale
from marts.source_freshness
where source = ?
"""

# The source's loads that delivered something, newest first.
LOADS_SQL = """
select load_id, delivered
from marts.source_loads
where source = ?
order by load_rank
limit ?
"""


def build_source_checks(sources: Iterable[str]) -> list[dg.AssetChecksDefinition]:
    """A freshness and a volume check for each source."""
    return [check for source in sources for check in (_freshness(source), _volume(source))]


def _freshness(source: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=SOURCE_FRESHNESS_KEY,
        name=f"{source}_is_fresh",
        description=f"Warns when the {source} feed's newest event is older than its limit "
        "(`max_silence_hours` in quality/freshness.yml) at the as-of instant.\n\n"
        f"**If it fails:** the {source} feed has stopped delivering (empty files, a broken "
        "export, an expired API token). Decay is paused for its points until it is fresh "
        "again, so its leads do not cool; `leadscore explain` says so. Check the newest "
        f"files in the landing zone's `{source}/` folder and the source's last run.",
        pool="duckdb",
    )
    def source_is_fresh(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as connection:
            row = connection.execute(FRESHNESS_SQL, [source]).fetchone()
        if row is None:
            return dg.AssetCheckResult(
                passed=True,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"monitored": False},
                description=f"{source}: no events and no silence limit",
            )
        last_event_at, hours_silent, limit, is_stale = row
        hours_silent = None if hours_silent is None else float(hours_silent)
        limit = None if limit is None else float(limit)
        silent = "never delivered" if last_event_at is None else f"silent {hours_silent:.0f} h"
        return dg.AssetCheckResult(
            passed=not is_stale,
            severity=dg.AssetCheckSeverity.WARN,
            description=(
                f"{source} is stale: {silent}, limit {limit:.0f} h; decay of its points "
                f"paused since {last_event_at}"
                if is_stale
                else None
            ),
            metadata={
                "last_event_at": str(last_event_at),
                "hours_silent": None if hours_silent is None else round(hours_silent, 1),
                "max_silence_hours": limit,
                "monitored": limit is not None,
                "decay_paused": bool(is_stale),
            },
        )

    return source_is_fresh


def _volume(source: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=SOURCE_LOADS_KEY,
        name=f"{source}_load_volume",
        description=f"Warns when the newest {source} load delivered far more or far fewer "
        "records than usual: outside median ± k·MAD of the previous loads "
        "(`volume` in quality/freshness.yml).\n\n"
        "**If it fails:** a tenth of the usual volume means a partial export or a lost "
        "file; ten times means a replay or duplicates. Compare the newest load's files "
        "with the previous ones (marts.source_loads, marts.ingestion_audit) before trusting "
        "today's scores.",
        pool="duckdb",
    )
    def source_load_volume(
        warehouse: WarehouseResource, quality: QualityResource
    ) -> dg.AssetCheckResult:
        limits = quality.thresholds().volume
        with warehouse.connect(read_only=True) as connection:
            loads = connection.execute(LOADS_SQL, [source, limits.recent_loads + 1]).fetchall()
        if not loads:
            return dg.AssetCheckResult(
                passed=True,
                severity=dg.AssetCheckSeverity.WARN,
                description=f"{source}: no loads yet",
                metadata={"loads": 0},
            )
        (load_id, delivered), earlier = loads[0], [int(count) for _, count in loads[1:]]
        verdict = volume_verdict(
            int(delivered),
            earlier,
            mad_k=limits.mad_k,
            min_loads=limits.min_loads,
            min_relative_band=limits.min_relative_band,
        )
        metadata: dict[str, dg.RawMetadataValue] = {
            "load_id": load_id,
            "delivered": verdict.delivered,
            "earlier_loads": verdict.earlier_loads,
        }
        if not verdict.has_verdict:
            return dg.AssetCheckResult(
                passed=True,
                severity=dg.AssetCheckSeverity.WARN,
                description=f"{source}: {verdict.earlier_loads} earlier loads, "
                f"{limits.min_loads} needed for a verdict",
                metadata=metadata,
            )
        assert verdict.low is not None and verdict.high is not None  # has_verdict
        metadata |= {
            "median": verdict.median,
            "mad": verdict.mad,
            "expected_low": round(verdict.low, 1),
            "expected_high": round(verdict.high, 1),
            "ratio_to_median": round(verdict.delivered / verdict.median, 3)
            if verdict.median
            else None,
        }
        return dg.AssetCheckResult(
            passed=not verdict.is_outlier,
            severity=dg.AssetCheckSeverity.WARN,
            description=(
                f"{source} load {load_id} delivered {verdict.delivered} records, outside the "
                f"usual {verdict.low:.0f}–{verdict.high:.0f} (median {verdict.median:.0f} of "
                f"the last {verdict.earlier_loads} loads)"
                if verdict.is_outlier
                else None
            ),
            metadata=metadata,
        )

    return source_load_volume
