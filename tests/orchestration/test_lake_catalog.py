"""The spark engine's warehouse connection: DuckDB over the lake's Parquet (no Spark needed).

The folders are laid out as Spark and dlt write them (hand-made here with pyarrow): a dbt-spark
table of part files, a partitioned one, a raw dlt table of two loads, and a table a Python
asset wrote. Readers see `schema.table` as in the warehouse file; a writer's changes go back
to the lake, and only the tables it changed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.lake import ROWS_FILE
from orchestration.resources import WarehouseResource

END_OF_DAY = datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)


def _write(folder: Path, name: str, table: pa.Table) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / name)


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    lake = tmp_path / "lake"
    marts = lake / "spark-warehouse" / "marts.db"
    for part, (lead, score) in enumerate((("L1", 41.25), ("L2", 7.0))):
        _write(
            marts / "lead_scores",
            f"part-0000{part}-a.snappy.parquet",
            pa.table(
                {
                    "lead_id": [lead],
                    "total_score": [score],
                    "as_of": pa.array([END_OF_DAY], pa.timestamp("us", tz="UTC")),  # Spark's
                }
            ),
        )
    for day, score in (("2026-06-29", 30.0), ("2026-06-30", 41.25)):
        _write(
            marts / "lead_score_history" / f"date={day}",
            "part-00000-b.snappy.parquet",
            pa.table({"lead_id": ["L1"], "total_score": [score]}),
        )
    # dlt: one file per load; the second load added a column
    raw = lake / "raw_web" / "events"
    _write(raw, "1751300000.1.parquet", pa.table({"event_id": ["e1"]}))
    _write(raw, "1751400000.1.parquet", pa.table({"event_id": ["e2"], "page": ["/pricing"]}))
    _write(lake / "config" / "bands", ROWS_FILE, pa.table({"band": ["hot"], "min_score": [60.0]}))
    _write(lake / "identity" / "fuzzy_matches", ROWS_FILE, pa.table({"pair": ["a|b"]}))
    return lake


def _warehouse(tmp_path: Path, lake: Path) -> WarehouseResource:
    return WarehouseResource(
        path=str(tmp_path / "unused.duckdb"),
        dlt_pipelines_dir=str(tmp_path / "dlt"),
        engine="spark",
        lake_dir=str(lake),
    )


def test_readers_see_the_lake_as_warehouse_tables(tmp_path: Path, lake: Path) -> None:
    with _warehouse(tmp_path, lake).connect(read_only=True) as connection:
        scores = connection.execute(
            "select lead_id, total_score, as_of from marts.lead_scores order by lead_id"
        ).fetchall()
        history = connection.execute(
            "select date, total_score from marts.lead_score_history order by date"
        ).fetchall()
        events = connection.execute(
            "select event_id, page from raw_web.events order by event_id"
        ).fetchall()
        as_of_type = connection.execute(
            "select data_type from information_schema.columns "
            "where table_name = 'lead_scores' and column_name = 'as_of'"
        ).fetchall()
    # Spark's instants read as the naive UTC timestamps DuckDB's models have
    assert scores == [
        ("L1", 41.25, END_OF_DAY.replace(tzinfo=None)),
        ("L2", 7.0, END_OF_DAY.replace(tzinfo=None)),
    ]
    assert as_of_type == [("TIMESTAMP",)]
    assert history == [(date(2026, 6, 29), 30.0), (date(2026, 6, 30), 41.25)]
    assert events == [("e1", None), ("e2", "/pricing")]
    assert not (tmp_path / "unused.duckdb").exists()


def test_a_writer_puts_back_only_what_it_changed(tmp_path: Path, lake: Path) -> None:
    warehouse = _warehouse(tmp_path, lake)
    untouched = lake / "identity" / "fuzzy_matches" / ROWS_FILE
    untouched_mtime = untouched.stat().st_mtime_ns
    with warehouse.connect() as connection:
        connection.execute("insert into config.bands values ('warm', 30.0)")
        connection.execute("create schema predictive")
        connection.execute("create table predictive.lead_predictions as select 'L1' as lead_id")
    with warehouse.connect(read_only=True) as connection:
        bands = connection.execute("select band from config.bands order by band").fetchall()
        predicted = connection.execute("select lead_id from predictive.lead_predictions")
        assert predicted.fetchall() == [("L1",)]
    assert bands == [("hot",), ("warm",)]
    assert untouched.stat().st_mtime_ns == untouched_mtime
    assert not (tmp_path / "unused.duckdb").exists()


def test_a_failed_writer_changes_nothing(tmp_path: Path, lake: Path) -> None:
    warehouse = _warehouse(tmp_path, lake)
    with pytest.raises(RuntimeError), warehouse.connect() as connection:
        connection.execute("delete from config.bands")
        raise RuntimeError("the step failed")
    with warehouse.connect(read_only=True) as connection:
        assert connection.execute("select count(*) from config.bands").fetchall() == [(1,)]


def test_a_reader_writes_nothing_back(tmp_path: Path, lake: Path) -> None:
    warehouse = _warehouse(tmp_path, lake)
    with warehouse.connect(read_only=True) as connection:
        connection.execute("delete from config.bands")
    with warehouse.connect(read_only=True) as connection:
        assert connection.execute("select count(*) from config.bands").fetchall() == [(1,)]
