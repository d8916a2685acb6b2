"""The dlt side of ingestion: tables' hints on each batch, landing-file state, resources.

Parsing is pure (`ingestion.parsing`); this module is where its rows meet dlt. A channel's
source wires a reader and its parsers into `landing_resource` (files mode) or hands API pages
to `parsed_rows` inside `parser_resource` (API mode).

Each batch (one file or page, one table) goes to dlt as an Arrow table typed from its
`TableSpec` (`arrow_batch`): dlt writes Arrow to Parquet as it is, without its per-row JSON
normalization (most of ingestion's time before). A batch that does not fit its declared
columns (a column the spec does not name, or a value of another type: parsers never produce
one) goes as rows, so dlt's own contract handling (evolve a column, refuse a type change)
applies to it exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
from dlt.common.destination import Destination
from dlt.common.json import json
from dlt.common.normalizers.utils import generate_dlt_ids
from dlt.common.schema.typing import TSchemaContractDict
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.extract.items import DataItemWithMeta
from dlt.sources import DltResource

from ingestion.parsing.fields import Row
from ingestion.parsing.readers import LandingFile, RawRecord, Reader, list_landing_files
from ingestion.parsing.tables import (
    ColumnType,
    EntityParser,
    TableSpec,
    declared_tables,
    routed_rows,
)

SCHEMA_CONTRACT: TSchemaContractDict = {
    "tables": "evolve",
    "columns": "evolve",
    "data_type": "freeze",
}
LOADED_FILES_STATE_KEY = "loaded_files"
ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "json": pa.string(),  # JSON text, serialized as dlt serializes it
}
# dlt's columns on every row; its Arrow path adds neither by default (STACK.md)
DLT_LOAD_ID, DLT_ID = "_dlt_load_id", "_dlt_id"


def raw_destination(
    engine: str, warehouse_path: Path, lake_dir: Path, duckdb_config: Mapping[str, str]
) -> Destination[Any, Any]:
    """Where every channel's raw tables go (good, rejected and delivery rows, dlt's state).

    `duckdb`: the embedded warehouse file. `spark`: Parquet files under `lake_dir`
    (`<lake>/raw_<channel>/<table>/<load_id>.<file_id>.parquet`), which dbt-spark registers
    as tables (macro `register_lake_sources`). The filesystem destination has no merge
    without a table format (Delta is not usable offline, STACK.md): it appends, and staging
    keeps the latest version of a key, as it does for rows that came in two loads.
    `duckdb_config` is set on dlt's DuckDB connections (a memory limit: dlt's merge of a big
    load spills instead of growing).
    """
    if engine == "spark":
        return dlt.destinations.filesystem(bucket_url=str(lake_dir))
    return dlt.destinations.duckdb(
        DuckDbCredentials(str(warehouse_path), global_config=dict(duckdb_config))
    )


def arrow_batch(table: TableSpec, rows: list[Row]) -> pa.Table | None:
    """`rows` as an Arrow table typed by `table`'s columns, with dlt's load id and row ids;
    None when they do not fit (a column `table` does not declare, a value of another type).

    Must run inside a dlt resource (the load id is the current package's).
    """
    declared = table.columns
    if any(name not in declared for row in rows for name in row):
        return None
    hints = table.column_hints()
    arrays, fields = [], []
    for name, data_type in declared.items():
        values = [row.get(name) for row in rows]
        if data_type == "json":
            values = [None if value is None else json.dumps(value) for value in values]
        try:
            arrays.append(pa.array(values, type=ARROW_TYPES[data_type]))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            return None
        fields.append(pa.field(name, ARROW_TYPES[data_type], nullable=hints[name]["nullable"]))
    load_id = dlt.current.load_package_state()["load_id"]
    arrays += [pa.array([load_id] * len(rows), pa.string()), pa.array(generate_dlt_ids(len(rows)))]
    fields += [pa.field(DLT_LOAD_ID, pa.string(), False), pa.field(DLT_ID, pa.string(), False)]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def marked(table: TableSpec, rows: list[Row]) -> DataItemWithMeta:
    """Rows routed to `table` with its full hints (a table variant of the resource): as an
    Arrow table when they fit its columns (`arrow_batch`), else as rows."""
    batch = arrow_batch(table, rows) if rows else None
    hints = dlt.mark.make_hints(
        table_name=table.name,
        primary_key=list(table.primary_key),
        write_disposition="merge",
        columns=table.column_hints(),
        schema_contract=SCHEMA_CONTRACT,
    )
    return dlt.mark.with_hints(rows if batch is None else batch, hints, create_table_variant=True)


def unloaded_landing_files(
    landing_dir: Path, folder: str, suffixes: tuple[str, ...]
) -> Iterator[LandingFile]:
    """Landing files not yet in the resource state; each is recorded once it was consumed.

    Must run inside a dlt resource: the state is committed together with the loaded rows.
    """
    loaded: list[str] = dlt.current.resource_state().setdefault(LOADED_FILES_STATE_KEY, [])
    already_loaded = set(loaded)
    for landing_file in list_landing_files(landing_dir, folder, suffixes):
        if landing_file.relative in already_loaded:
            continue
        yield landing_file
        loaded.append(landing_file.relative)


def parsed_rows(
    records: Iterable[RawRecord], resource: str, parsers: Mapping[str, EntityParser]
) -> Iterator[DataItemWithMeta]:
    """The rows of `routed_rows` (good, child, rejected rows and delivery counts), each batch
    with its table's hints."""
    for table, rows in routed_rows(records, resource, parsers):
        yield marked(table, rows)


def landing_rows(
    landing_dir: Path,
    folder: str,
    suffixes: tuple[str, ...],
    resource: str,
    read: Reader,
    parsers: Mapping[str, EntityParser],
) -> Iterator[DataItemWithMeta]:
    """Every new landing file of `folder`, parsed (see `parsed_rows`)."""
    for landing_file in unloaded_landing_files(landing_dir, folder, suffixes):
        yield from parsed_rows(read(landing_file), resource, parsers)


def parser_resource(
    rows: Callable[[], Iterator[DataItemWithMeta]], parsers: Mapping[str, EntityParser]
) -> DltResource:
    """A merge resource named after the table of its first entity, yielding `rows()`.

    Every declared table the pipeline's schema does not know yet is materialized from its
    column hints first, even when nothing arrives (no folder, no file, an API page with zero
    records), so staging always finds it; a known table is not touched (a rerun with nothing
    new loads nothing).
    Column hints travel with every batch (`marked`) rather than on the resource:
    dlt copies a resource's column hints into each table variant it creates.
    """
    main = next(iter(parsers.values())).table

    def declared_then_rows() -> Iterator[DataItemWithMeta]:
        known = dlt.current.source_schema().tables
        for table in declared_tables(main.name, parsers):
            if table.name not in known:
                yield marked(table, dlt.mark.materialize_table_schema())
        yield from rows()

    return dlt.resource(
        declared_then_rows,
        name=main.name,
        primary_key=list(main.primary_key),
        write_disposition="merge",
        schema_contract=SCHEMA_CONTRACT,
    )


def landing_resource(
    landing_dir: Path,
    folder: str,
    suffixes: tuple[str, ...],
    read: Reader,
    parsers: Mapping[str, EntityParser],
) -> DltResource:
    """The resource reading every new landing file of `folder` (see `parser_resource`)."""
    main = next(iter(parsers.values())).table

    def rows() -> Iterator[DataItemWithMeta]:
        yield from landing_rows(landing_dir, folder, suffixes, main.name, read, parsers)

    return parser_resource(rows, parsers)
