"""The dlt side of ingestion: tables' hints on each batch, landing-file state, resources.

Parsing is pure (`ingestion.parsing`); this module is where its rows meet dlt. A channel's
source wires a reader and its parsers into `landing_resource` (files mode) or hands API pages
to `parsed_rows` inside `parser_resource` (API mode).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import dlt
from dlt.common.schema.typing import TSchemaContractDict
from dlt.extract.items import DataItemWithMeta
from dlt.sources import DltResource

from ingestion.parsing.fields import Row
from ingestion.parsing.readers import LandingFile, RawRecord, Reader, list_landing_files
from ingestion.parsing.tables import EntityParser, TableSpec, declared_tables, routed_rows

SCHEMA_CONTRACT: TSchemaContractDict = {
    "tables": "evolve",
    "columns": "evolve",
    "data_type": "freeze",
}
LOADED_FILES_STATE_KEY = "loaded_files"


def marked(table: TableSpec, rows: list[Row]) -> DataItemWithMeta:
    """Rows routed to `table` with its full hints (a table variant of the resource)."""
    hints = dlt.mark.make_hints(
        table_name=table.name,
        primary_key=list(table.primary_key),
        write_disposition="merge",
        columns=table.column_hints(),
        schema_contract=SCHEMA_CONTRACT,
    )
    return dlt.mark.with_hints(rows, hints, create_table_variant=True)


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
