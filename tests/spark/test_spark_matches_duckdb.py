"""The same landing zone on DuckDB and on Spark: the marts equal row for row.

`make test-spark` (marker `spark`): dlt loads the lake through the filesystem destination,
dbt-spark runs the project in a local session, and each table below is read back from the
Parquet files Spark wrote and compared with the DuckDB run's, every column but the ones
naming the run (load ids), floats to 1e-6 and scores to the cent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pytest
from spark_run import EngineRuns, spark_table

from tools.mart_digest import mart_columns

pytestmark = pytest.mark.spark

# The marts that run on Spark today and must equal DuckDB's (README "Scale-out on Spark").
COMPARED_MARTS = (
    "touchpoints",
    "lead_identities",
    "lead_profiles",
    "score_ledger",
    "lead_scores",
    "channel_attribution",
    "campaign_attribution",
    "rule_lift",
    "score_alerts",
    "lead_score_history",
)
RUN_COLUMNS = {"_dlt_load_id", "_dlt_id", "load_id"}


def normalized(value: object) -> object:
    """A value as both engines' files agree on it: floats to 1e-6 (scores are cents),
    instants as naive UTC, lists as tuples."""
    if isinstance(value, float | Decimal):
        return round(float(value), 6)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list):
        return tuple(normalized(item) for item in value)
    return value


def rows_of(connection: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list:
    column_list = ", ".join(f'"{name}"' for name in columns)
    rows = connection.execute(f"select {column_list} from {relation}").fetchall()  # noqa: S608
    return sorted((tuple(normalized(value) for value in row) for row in rows), key=repr)


@pytest.mark.parametrize("table", COMPARED_MARTS)
def test_a_mart_on_spark_equals_duckdb(engine_runs: EngineRuns, table: str) -> None:
    assert engine_runs.spark_statuses.get(table) == "success", engine_runs.spark_statuses.get(table)
    with duckdb.connect(str(engine_runs.duckdb.warehouse_path), read_only=True) as connection:
        columns = mart_columns(connection, table, RUN_COLUMNS)
        on_duckdb = rows_of(connection, f"marts.{table}", columns)
        on_spark = rows_of(
            connection, spark_table(engine_runs.spark.lake_dir, "marts", table), columns
        )
    assert on_duckdb, f"marts.{table} is empty on DuckDB: the comparison would prove nothing"
    missing = [row for row in on_duckdb if row not in on_spark][:3]
    extra = [row for row in on_spark if row not in on_duckdb][:3]
    assert on_spark == on_duckdb, f"{table}: only on DuckDB {missing}; only on Spark {extra}"
