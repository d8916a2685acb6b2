"""The two runs of one landing zone: `run_nightly` on DuckDB, then the same on Spark.

Both are the code path of `leadscore run`: the one Dagster `Definitions`, the nightly job
with its dbt tests as asset checks. With `LEADSCORE_ENGINE=spark` dlt loads the lake, dbt runs
its `spark` target and every Python asset and check reads and writes the lake through
`WarehouseResource` (`orchestration/lake_catalog.py`); no warehouse file is created.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.runner import run_nightly
from orchestration.settings import Settings, load_settings


@dataclass(frozen=True)
class EngineRun:
    """One engine's settings, the nightly run's result and how long it and each step took."""

    settings: Settings
    result: dg.ExecuteInProcessResult
    seconds: float
    step_seconds: dict[str, float]  # step key -> wall time

    def check_outcomes(self) -> dict[str, bool]:
        """Every asset check of the run (dbt tests, GX suites, freshness, scores): passed?"""
        return {
            f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}": evaluation.passed
            for evaluation in (
                event.asset_check_evaluation_data
                for event in self.result.all_events
                if event.event_type_value == "ASSET_CHECK_EVALUATION"
            )
        }

    def timings(self) -> str:
        """The run's wall time and its slowest steps, for the test log."""
        steps = sorted(self.step_seconds.items(), key=lambda item: -item[1])[:12]
        lines = [f"{self.settings.engine}: nightly run {self.seconds:.0f} s"]
        lines += [f"  {name}: {seconds:.0f} s" for name, seconds in steps]
        return "\n".join(lines)

    def materialized(self) -> set[str]:
        return {
            event.asset_key.to_user_string()
            for event in self.result.all_events
            if event.is_step_materialization and event.asset_key is not None
        }


@dataclass(frozen=True)
class EngineRuns:
    duckdb: EngineRun
    spark: EngineRun


def engine_settings(landing: Path, work: Path, engine: str) -> Settings:
    """The settings of one engine's run, every output under `work`."""
    return load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_ENGINE": engine,
            "LEADSCORE_LAKE_DIR": str(work / "lake"),
            "LEADSCORE_WAREHOUSE": str(work / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(work / "exports"),
            "LEADSCORE_REPORT_DIR": str(work / "reports"),
        }
    )


def nightly_run(settings: Settings, as_of: str) -> EngineRun:
    instance = dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    result = run_nightly(settings, as_of, instance=instance)
    seconds = time.perf_counter() - started
    steps = {
        stats.step_key: (stats.end_time or stats.start_time or 0) - (stats.start_time or 0)
        for stats in instance.get_run_step_stats(result.run_id)
    }
    return EngineRun(settings, result, seconds, steps)
