"""Great Expectations suites as Dagster asset checks: one generic runner, one check per suite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

import dagster as dg

from orchestration.resources import ScoringResource, WarehouseResource
from quality.gx_validation import SuiteOutcome, run_suite
from quality.suites import Suite


def as_of_instant(scoring: ScoringResource) -> datetime:
    """The end of the as-of day in UTC, the instant every model scores at."""
    return datetime.combine(scoring.as_of_date(), time.max, tzinfo=UTC)


def build_suite_checks(suites: Sequence[Suite]) -> list[dg.AssetChecksDefinition]:
    """One asset check per suite file, on the asset the suite names."""
    return [_suite_check(suite) for suite in suites]


def _suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(suite.asset),
        name=suite.check_name,
        blocking=suite.blocking,
        description=f"{suite.description.strip()}\n\n**If it fails:** {suite.on_failure.strip()}",
        pool="duckdb",
    )
    def suite_check(warehouse: WarehouseResource, scoring: ScoringResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as connection:
            outcome = run_suite(connection, suite, as_of_instant(scoring))
        return suite_check_result(outcome)

    return suite_check


def suite_check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    """The check result: passed or not, and what failed, how often, with sample values."""
    failed = outcome.failed
    metadata: dict[str, dg.RawMetadataValue] = {
        "table": outcome.suite.table_name,
        "rows_validated": outcome.rows,
        "expectations": len(outcome.expectations),
        "failed_expectations": len(failed),
        "unexpected_count": outcome.unexpected_count,
        "seconds": round(outcome.seconds, 3),
    }
    if failed:
        metadata["first_failure"] = failed[0].message()
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(f"- {outcome.message()}" for outcome in failed)
        )
        metadata["failure_details"] = dg.MetadataValue.json(
            [
                {
                    "expectation": item.expectation,
                    "target": item.target,
                    "unexpected_count": item.unexpected_count,
                    "unexpected_percent": item.unexpected_percent,
                    "sample": item.sample,
                    "observed_value": item.observed_value,
                    "error": item.error,
                }
                for item in failed
            ]
        )
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR
        if outcome.suite.blocking
        else dg.AssetCheckSeverity.WARN,
        description=failed[0].message() if failed else None,
        metadata=metadata,
    )
