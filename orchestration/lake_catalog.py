"""DuckDB over the lake: what every Python asset and check reads and writes with the spark engine.

With `LEADSCORE_ENGINE=spark` there is no warehouse file. `WarehouseResource.connect` then
opens an in-memory DuckDB whose `schema.table` names are those of the warehouse:

- the tables dbt-spark built (`<lake>/spark-warehouse/<schema>.db/<table>/`, Parquet part
  files, `<column>=<value>/` folders for a partitioned table such as lead_score_history) and
  the raw tables dlt loaded (`<lake>/raw_<channel>/<table>/`): views over their files;
- the tables the Python assets wrote (`<lake>/<schema>/<table>/rows.parquet`: `config.*`,
  `identity.fuzzy_matches`, `attribution.*`, `predictive.*`, `marts.model_metrics`, ...):
  in-memory copies, so a writer replaces or appends to them as in the warehouse file.

Leaving a write connection puts every table a writer created or changed back into the lake
(`persist_changed_tables`), so every reader and writer of the warehouse works unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.lake import lake_tables, replace_lake_table, spark_table_folders

INSTANT = "TIMESTAMP WITH TIME ZONE"
# dlt's datasets: large, append-only, read through views (never copied into memory).
RAW_SCHEMA_PREFIX = "raw_"

# (schema, table) -> (rows, order-independent sum of the rows' hashes)
Fingerprints = Mapping[tuple[str, str], tuple[int, int]]


def parquet_scan(folder: Path) -> str:
    """A DuckDB scan of every Parquet file under `folder` (hive partitions as columns; the
    files of several loads by column name)."""
    pattern = str(folder / "**" / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}', hive_partitioning = true, union_by_name = true)"


@contextmanager
def lake_connection(lake_dir: Path, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB over the lake, closed on exit; with `write`, the tables changed
    in it are written back to the lake first (not when the block raised)."""
    connection = duckdb.connect()
    try:
        attach_lake(connection, lake_dir)
        if not write:
            yield connection
            return
        before = table_fingerprints(connection)
        yield connection
        persist_changed_tables(connection, lake_dir, before)
    finally:
        connection.close()


def attach_lake(connection: duckdb.DuckDBPyConnection, lake_dir: Path) -> None:
    """Every table of the lake as `schema.table` of `connection` (see the module docstring)."""
    python_tables = []
    for name in lake_tables(lake_dir):
        schema, table = name.split(".")
        if schema.startswith(RAW_SCHEMA_PREFIX):
            _create_view(connection, schema, table, lake_dir / schema / table)
        else:
            python_tables.append((schema, table))
    for (schema, table), folder in spark_table_folders(lake_dir).items():
        _create_view(connection, schema, table, folder, naive_instants=True)
    for schema, table in python_tables:
        connection.execute(f'create schema if not exists "{schema}"')
        connection.execute(
            f'create table "{schema}"."{table}" as select * from '  # noqa: S608 - lake folders
            f"{parquet_scan(lake_dir / schema / table)}"
        )


def _create_view(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    folder: Path,
    naive_instants: bool = False,
) -> None:
    """A view `schema.table` over the folder's files. With `naive_instants`, Spark's
    timestamps (instants in its files) read as the dbt models' naive UTC `timestamp`, the
    type the same column has in the DuckDB warehouse."""
    scan = parquet_scan(folder)
    columns = ["*"]
    if naive_instants:
        described = connection.execute(f"describe select * from {scan}").fetchall()  # noqa: S608
        columns = [
            f'timezone(\'UTC\', "{name}") as "{name}"' if kind == INSTANT else f'"{name}"'
            for name, kind, *_ in described
        ]
    connection.execute(f'create schema if not exists "{schema}"')
    connection.execute(
        f'create or replace view "{schema}"."{table}" as '  # noqa: S608 - lake folders
        f"select {', '.join(columns)} from {scan}"
    )


def table_fingerprints(connection: duckdb.DuckDBPyConnection) -> Fingerprints:
    """The fingerprint of every in-memory table (views are the lake's, never written)."""
    tables = connection.execute(
        "select schema_name, table_name from duckdb_tables() where not temporary"
    ).fetchall()
    fingerprints = {}
    for schema, table in tables:
        rows, digest = connection.execute(
            f'select count(*), coalesce(sum(hash(t)), 0) from "{schema}"."{table}" as t'  # noqa: S608
        ).fetchall()[0]
        fingerprints[(schema, table)] = (int(rows), int(digest))
    return fingerprints


def persist_changed_tables(
    connection: duckdb.DuckDBPyConnection, lake_dir: Path, before: Fingerprints
) -> list[tuple[str, str]]:
    """Write every table created or changed since `before` to `<lake>/<schema>/<table>/`."""
    changed = [
        key
        for key, fingerprint in table_fingerprints(connection).items()
        if before.get(key) != fingerprint
    ]
    for schema, table in changed:
        content = connection.table(f'"{schema}"."{table}"').to_arrow_table()
        replace_lake_table(lake_dir, schema, table, content)
    return changed
