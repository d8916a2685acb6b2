"""One small landing zone run through `leadscore run`'s code path twice: DuckDB, then Spark."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from engine_runs import EngineRuns, engine_settings, nightly_run

from ingestion.generator import generate_landing_zone

END_DATE = date(2026, 6, 30)
AS_OF = "2026-06-30"


@pytest.fixture(scope="session")
def engine_runs(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> EngineRuns:
    if shutil.which("java") is None:
        pytest.fail("the Spark tests need Java 17 on the PATH (pyspark starts a JVM)")
    root = tmp_path_factory.mktemp("engines")
    landing = root / "landing"
    generate_landing_zone(landing, leads=40, days=30, seed=3, end_date=END_DATE)
    on_duckdb = nightly_run(engine_settings(landing, root / "duckdb", "duckdb"), AS_OF)
    assert on_duckdb.result.success
    on_spark = nightly_run(engine_settings(landing, root / "spark", "spark"), AS_OF)
    # the figures of README "Scale-out on Spark", in the test output whatever the capture
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"\n{on_duckdb.timings()}\n{on_spark.timings()}")
    return EngineRuns(duckdb=on_duckdb, spark=on_spark)
