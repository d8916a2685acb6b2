"""One small landing zone run through the pipeline twice: on DuckDB, then on Spark."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date

import pytest
from spark_run import EngineRuns, hand_over, load_lake, run_dbt

from ingestion.generator import generate_landing_zone
from orchestration.runner import run_nightly
from orchestration.settings import load_settings

END_DATE = date(2026, 6, 30)
AS_OF = "2026-06-30"


@pytest.fixture(scope="session")
def engine_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineRuns]:
    if shutil.which("java") is None:
        pytest.fail("the Spark tests need Java 17 on the PATH (pyspark starts a JVM)")
    root = tmp_path_factory.mktemp("engines")
    landing = root / "landing"
    generate_landing_zone(landing, leads=40, days=30, seed=3, end_date=END_DATE)
    common = {"LEADSCORE_LANDING_DIR": str(landing)}
    duckdb_settings = load_settings(
        common
        | {
            "LEADSCORE_WAREHOUSE": str(root / "duckdb" / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(root / "duckdb" / "exports"),
            "LEADSCORE_REPORT_DIR": str(root / "duckdb" / "reports"),
        }
    )
    assert run_nightly(duckdb_settings, AS_OF).success
    spark_root = root / "spark"
    spark_settings = load_settings(
        common
        | {
            "LEADSCORE_ENGINE": "spark",
            "LEADSCORE_LAKE_DIR": str(spark_root / "lake"),
            "LEADSCORE_WAREHOUSE": str(spark_root / "unused.duckdb"),
        }
    )
    load_lake(spark_settings)
    hand_over(duckdb_settings.warehouse_path, spark_settings.lake_dir)
    statuses = run_dbt(spark_settings, AS_OF, spark_root)
    yield EngineRuns(duckdb=duckdb_settings, spark=spark_settings, spark_statuses=dict(statuses))
