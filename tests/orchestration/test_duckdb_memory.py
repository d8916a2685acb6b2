"""Our warehouse connections and dlt's destination run DuckDB under one memory limit."""

from __future__ import annotations

from pathlib import Path

import dlt

from orchestration.resources import DUCKDB_CONFIG, WarehouseResource, make_dlt_pipeline


def limit_of(rows: list[tuple[object, ...]]) -> str:
    (value,) = rows[0]
    return str(value)


def expected_limit() -> str:
    """DuckDB reports the configured limit in its own unit (1GB reads as 953.6 MiB)."""
    import duckdb

    with duckdb.connect(config=dict(DUCKDB_CONFIG)) as connection:
        return limit_of(connection.execute("select current_setting('memory_limit')").fetchall())


def test_a_warehouse_connection_has_the_memory_limit(tmp_path: Path) -> None:
    warehouse = WarehouseResource(path=str(tmp_path / "w.duckdb"), dlt_pipelines_dir=str(tmp_path))
    with warehouse.connect() as connection:
        limit = limit_of(connection.execute("select current_setting('memory_limit')").fetchall())
    assert limit == expected_limit()
    assert limit.endswith("MiB") and float(limit.split()[0]) < 1024


def test_dlts_destination_loads_under_the_same_limit(tmp_path: Path) -> None:
    pipeline = make_dlt_pipeline("demo", tmp_path / "w.duckdb", tmp_path / "dlt")
    info = pipeline.run(dlt.resource([{"id": 1}, {"id": 2}], name="items"))
    assert not info.has_failed_jobs
    with pipeline.sql_client() as client:
        rows = client.execute_sql("select current_setting('memory_limit')")
        loaded = client.execute_sql("select count(*) from items")
    assert rows is not None and limit_of(rows) == expected_limit()
    assert loaded is not None and loaded[0][0] == 2
