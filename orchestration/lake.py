"""The lake folder of the spark engine: Parquet tables as `<lake>/<schema>/<table>/*.parquet`.

dlt writes the raw tables there (filesystem destination, `ingestion.plumbing.raw_destination`);
the Python assets that replace whole tables (`config.*`, `identity.fuzzy_matches`) write
theirs here with `replace_lake_tables`; dbt-spark registers every folder `lake_tables` lists
as a table (macro `register_lake_sources`).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# The SQL types the Python assets declare (DuckDB spelling) as Arrow types, which Spark reads
# as string, int, bigint, double, boolean, date and array<string>.
ARROW_TYPES: dict[str, pa.DataType] = {
    "varchar": pa.string(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "varchar[]": pa.list_(pa.string()),
}
ROWS_FILE = "rows.parquet"
# Where dbt-spark's tables live (the session's `spark.sql.warehouse.dir`, profiles.yml).
SPARK_WAREHOUSE = "spark-warehouse"


def lake_tables(lake_dir: Path) -> list[str]:
    """`<schema>.<table>` of every folder of the lake holding a Parquet file, sorted."""
    if not lake_dir.is_dir():
        return []
    return sorted(
        f"{schema.name}.{table.name}"
        for schema in lake_dir.iterdir()
        if schema.is_dir()
        for table in schema.iterdir()
        if table.is_dir() and not table.name.startswith(".") and any(table.glob("*.parquet"))
    )


def spark_table_folders(lake_dir: Path) -> dict[tuple[str, str], Path]:
    """(schema, table) -> folder of every table dbt-spark materialized that holds Parquet
    (`<lake>/spark-warehouse/<schema>.db/<table>/`, partitions in subfolders)."""
    warehouse = lake_dir / SPARK_WAREHOUSE
    if not warehouse.is_dir():
        return {}
    return {
        (schema.name.removesuffix(".db"), table.name): table
        for schema in sorted(warehouse.glob("*.db"))
        for table in sorted(schema.iterdir())
        if table.is_dir() and any(table.glob("**/*.parquet"))
    }


def arrow_table(columns: Mapping[str, str], rows: Sequence[Mapping[str, object]]) -> pa.Table:
    """`rows` as an Arrow table typed by `columns` (name -> SQL type of `ARROW_TYPES`)."""
    schema = pa.schema([(name, ARROW_TYPES[kind]) for name, kind in columns.items()])
    return pa.Table.from_pylist([{name: row[name] for name in columns} for row in rows], schema)


def replace_lake_table(lake_dir: Path, schema: str, table: str, content: pa.Table) -> Path:
    """Replace `<lake>/<schema>/<table>/` with one Parquet file of `content`.

    The new folder is written beside the old one and renamed into place (the old one removed
    first: a folder cannot be renamed over a non-empty one).
    """
    folder = lake_dir / schema / table
    partial = folder.with_name(f".{table}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    pq.write_table(content, partial / ROWS_FILE)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def replace_lake_tables(
    lake_dir: Path,
    schema: str,
    tables: Mapping[str, tuple[Mapping[str, str], Sequence[Mapping[str, object]]]],
) -> None:
    """Replace every `<schema>.<table>` of the lake with its typed rows."""
    for table, (columns, rows) in tables.items():
        replace_lake_table(lake_dir, schema, table, arrow_table(columns, rows))
