"""Crash safety: SIGKILL `leadscore run` at several points, rerun, get a clean run's tables."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.generator import generate_landing_zone

AS_OF = "2026-06-30"
LEADSCORE = Path(sys.executable).parent / "leadscore"
# Columns that name the load or run rather than the data: they differ between runs (`seconds`:
# the attribution asset's wall time in attribution.attribution_runs; `trained_at`: the wall
# clock at which marts.model_metrics' model was trained).
RUN_COLUMNS = {"_dlt_load_id", "_dlt_id", "load_id", "seconds", "trained_at"}
# (progress line that starts the phase, seconds to wait after it before SIGKILL)
KILL_POINTS = [
    ("ingest_email: Started", 0.3),  # extract/normalize of one channel, others done
    ("ingest_web: Started", 1.5),  # in the middle of the largest load
    ("dbt_models: Started", 6.0),  # dbt halfway through its models
    ("exports__bi_parquet: Started", 0.0),  # while publishing the Parquet files
]


def run_leadscore(environment: dict[str, str], kill_after: tuple[str, float] | None) -> bool:
    """Run `leadscore run`; SIGKILL it `delay` s after `marker` appears. True if killed.

    The kill goes to the run's process group, as a scheduler or a crashed machine would:
    the dbt process a run starts dies with it instead of holding the warehouse's lock.
    """
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [str(LEADSCORE), "run", "--as-of", AS_OF],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    killed = threading.Event()
    assert process.stderr is not None
    for line in process.stderr:
        if kill_after is not None and kill_after[0] in line:
            time.sleep(kill_after[1])
            os.killpg(process.pid, signal.SIGKILL)
            killed.set()
            break
    process.stderr.close()
    returncode = process.wait(timeout=600)
    if not killed.is_set():
        assert returncode == 0, f"leadscore run failed with exit code {returncode}"
    return killed.is_set() and returncode == -signal.SIGKILL


def table_contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every data table's rows (run-specific columns left out), sorted."""
    contents: dict[str, list[tuple[object, ...]]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema not like '%\\_staging' escape '\\' "
            "and table_name not like '\\_dlt%' escape '\\' and table_name != 'ingestion_audit' "
            "order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            columns = [
                name for (name,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if name not in RUN_COLUMNS
            ]  # fmt: skip
            column_list = ", ".join(f'"{name}"' for name in columns)
            rows = connection.execute(
                f'select {column_list} from "{schema}"."{table}" order by all'  # noqa: S608
            ).fetchall()
            contents[f"{schema}.{table}"] = [_with_floats_rounded(row) for row in rows]
    return contents


def _with_floats_rounded(row: tuple[object, ...]) -> tuple[object, ...]:
    # DuckDB's parallel aggregation adds floats in no fixed order, so a sum may differ in its
    # last bit between two runs on the same data (0.48 against 0.48000000000000004).
    return tuple(round(value, 9) if isinstance(value, float) else value for value in row)


def audit_totals(warehouse: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select source, entity, sum(delivered), sum(loaded), sum(deduplicated), "
            "sum(quarantined), sum(filtered) from marts.ingestion_audit group by all order by all"
        ).fetchall()


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("kill") / "landing"
    generate_landing_zone(landing, leads=80, days=20, seed=5, end_date=date(2026, 6, 30))
    return landing


def environment_for(landing: Path, root: Path) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("LEADSCORE_")
    }
    environment.pop("DAGSTER_HOME", None)
    return environment | {
        "LEADSCORE_LANDING_DIR": str(landing),
        "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
        "LEADSCORE_EXPORT_DIR": str(root / "exports"),
    }


@pytest.mark.crash_safety  # six pipeline runs: `make test-crash`
def test_killed_runs_then_a_rerun_equal_a_clean_run(landing: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    run_leadscore(environment_for(landing, clean), kill_after=None)
    expected = table_contents(clean / "warehouse.duckdb")

    crashed = tmp_path / "crashed"
    environment = environment_for(landing, crashed)
    killed = [run_leadscore(environment, kill_after=point) for point in KILL_POINTS]
    assert killed == [True] * len(KILL_POINTS)
    run_leadscore(environment, kill_after=None)

    actual = table_contents(crashed / "warehouse.duckdb")
    assert sorted(actual) == sorted(expected)
    for table, rows in expected.items():
        assert actual[table] == rows, table
    assert audit_totals(crashed / "warehouse.duckdb") == audit_totals(clean / "warehouse.duckdb")
    assert sorted(p.name for p in (crashed / "exports").iterdir()) == sorted(
        p.name for p in (clean / "exports").iterdir()
    )
    assert len(expected["marts.lead_scores"]) > 50
