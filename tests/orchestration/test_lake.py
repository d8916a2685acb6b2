"""The spark engine's lake folder: Parquet tables the Python assets write, listed for dbt."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.lake import lake_tables
from orchestration.resources import WarehouseResource, make_dlt_pipeline


def test_replaced_tables_land_as_typed_parquet_and_are_listed(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    warehouse = WarehouseResource(
        path=str(tmp_path / "unused.duckdb"),
        dlt_pipelines_dir=str(tmp_path / "dlt"),
        engine="spark",
        lake_dir=str(lake),
    )
    columns = {"rule_id": "varchar", "points": "double", "channels": "varchar[]"}
    rows = [
        {"rule_id": "demo", "points": 20.0, "channels": ["web"]},
        {"rule_id": "call", "points": 12.5, "channels": None},
    ]
    warehouse.replace_tables("config", {"engagement_rules": (columns, rows)})
    warehouse.replace_tables("config", {"engagement_rules": (columns, rows[:1])})  # replaced

    assert lake_tables(lake) == ["config.engagement_rules"]
    assert not (tmp_path / "unused.duckdb").exists()  # nothing went to DuckDB
    folder = lake / "config" / "engagement_rules"
    with duckdb.connect() as connection:
        read = connection.execute(f"select * from read_parquet('{folder}/*.parquet')")
        types = [str(column[1]) for column in read.description]
        assert read.fetchall() == [("demo", 20.0, ["web"])]
    assert types == ["VARCHAR", "DOUBLE", "VARCHAR[]"]


def test_an_empty_or_missing_lake_lists_no_tables(tmp_path: Path) -> None:
    assert lake_tables(tmp_path / "missing") == []
    (tmp_path / "raw_web" / "events").mkdir(parents=True)  # a folder without a file
    assert lake_tables(tmp_path) == []


def test_the_spark_engine_loads_through_the_filesystem_destination(tmp_path: Path) -> None:
    spark = make_dlt_pipeline(
        "web", tmp_path / "w.duckdb", tmp_path / "dlt", engine="spark", lake_dir=tmp_path / "lake"
    )
    duck = make_dlt_pipeline("web", tmp_path / "w.duckdb", tmp_path / "dlt_duck")
    assert (spark.destination.destination_name, duck.destination.destination_name) == (
        "filesystem",
        "duckdb",
    )
    assert spark.dataset_name == "raw_web"
