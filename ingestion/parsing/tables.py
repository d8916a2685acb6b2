"""Destination tables and how parsed records are routed to them (pure: no dlt at run time).

A channel declares its `TableSpec`s and an `EntityParser` per entity; `routed_rows` turns the
raw records of one file or API page into the rows of each table, rejected rows and the
delivery counts. `ingestion.plumbing` hands those rows to dlt with each table's hints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ingestion.parsing.fields import Rejection, Row, quarantined
from ingestion.parsing.readers import RAW_TEXT_LIMIT, RawRecord
from ingestion.suppression import is_suppressed

if TYPE_CHECKING:  # the hint's type only: importing dlt here would load it at run time
    from dlt.common.schema.typing import TColumnSchema

# --------------------------------------------------------------------------------------------
# Tables and their column hints
# --------------------------------------------------------------------------------------------


ColumnType = Literal["text", "bigint", "double", "bool", "date", "timestamp", "json"]
FILE_POSITION_COLUMNS: dict[str, ColumnType] = {"file": "text", "position": "bigint"}
REJECTED_COLUMNS: dict[str, ColumnType] = {
    "file": "text",
    "entity": "text",
    "position": "bigint",
    "disposition": "text",
    "reason": "text",
    "raw": "text",
}


@dataclass(frozen=True)
class TableSpec:
    """One destination table: merge on its primary key, every column typed up front."""

    name: str
    primary_key: tuple[str, ...]
    columns: Mapping[str, ColumnType]
    # On a key delivered twice in one load, keep the row with the highest value of this column.
    dedup_sort: str | None = None

    def column_hints(self) -> dict[str, TColumnSchema]:
        hints: dict[str, TColumnSchema] = {}
        for name, data_type in self.columns.items():
            hint: TColumnSchema = {"name": name, "data_type": data_type, "nullable": True}
            if data_type == "timestamp":
                hint["timezone"] = True
            if name in self.primary_key:
                hint["nullable"] = False
            if name == self.dedup_sort:
                hint["dedup_sort"] = "desc"
            hints[name] = hint
        return hints


def rejected_table(resource: str) -> TableSpec:
    return TableSpec(f"{resource}_rejected", ("file", "entity", "position"), REJECTED_COLUMNS)


DELIVERY_COUNTS = ("delivered", "emitted", "quarantined", "filtered", "suppressed")
DELIVERY_COLUMNS: dict[str, ColumnType] = {
    "file": "text",
    "entity": "text",
    "delivered": "bigint",
    "emitted": "bigint",
    "quarantined": "bigint",
    "filtered": "bigint",
    "suppressed": "bigint",  # records of erased people, dropped unread (ingestion/suppression)
}


def deliveries_table(resource: str) -> TableSpec:
    """Per file and entity: records read and what became of them (the audit's ledger)."""
    return TableSpec(f"{resource}_deliveries", ("file", "entity"), DELIVERY_COLUMNS)


# --------------------------------------------------------------------------------------------
# Entity parsers and the routing of records to their tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityParser:
    """How records of one entity become rows: `parse`, its table, and child tables.

    `children` maps a key of the parsed row (a list of rows) to the table those rows go to.
    """

    table: TableSpec
    parse: Callable[[RawRecord], Row | Rejection]
    children: Mapping[str, TableSpec] = field(default_factory=dict)


def rejected_row(record: RawRecord, rejection: Rejection) -> Row:
    return {
        "file": record.file,
        "entity": record.entity,
        "position": record.position,
        "disposition": rejection.disposition,
        "reason": rejection.reason,
        "raw": record.text[:RAW_TEXT_LIMIT],
    }


def routed_rows(
    records: Iterable[RawRecord], resource: str, parsers: Mapping[str, EntityParser]
) -> list[tuple[TableSpec, list[Row]]]:
    """The records of one file or API page, parsed: good rows, child rows and rejected rows.

    Also the delivery counts per file and entity (`<resource>_deliveries`), so the audit can
    prove that every record read was loaded, deduplicated, quarantined or filtered. Tables
    without rows are left out.
    """
    rejected = rejected_table(resource)
    deliveries = deliveries_table(resource)
    tables: dict[str, TableSpec] = {rejected.name: rejected, deliveries.name: deliveries}
    rows: dict[str, list[Row]] = {rejected.name: []}
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for record in records:
        count = counts[(record.file, record.entity)]
        count["delivered"] += 1
        if is_suppressed(record):
            count["suppressed"] += 1
            continue
        if record.fault is not None:
            rows[rejected.name].append(rejected_row(record, record.fault))
            count[record.fault.disposition] += 1
            continue
        parser = parsers[record.entity]
        if isinstance(record.value, Mapping):
            outcome = parser.parse(record)
        else:
            outcome = quarantined(f"wrong_type: {record.entity} not a JSON object")
        if isinstance(outcome, Rejection):
            rows[rejected.name].append(rejected_row(record, outcome))
            count[outcome.disposition] += 1
            continue
        for key, child in parser.children.items():
            tables[child.name] = child
            rows.setdefault(child.name, []).extend(outcome.pop(key))
        tables[parser.table.name] = parser.table
        row = {**outcome, "file": record.file, "position": record.position}
        rows.setdefault(parser.table.name, []).append(row)
        count["emitted"] += 1
    rows[deliveries.name] = [
        {"file": file, "entity": entity, **{kind: count[kind] for kind in DELIVERY_COUNTS}}
        for (file, entity), count in sorted(counts.items())
    ]
    return [(tables[name], table_rows) for name, table_rows in rows.items() if table_rows]


def declared_tables(resource: str, parsers: Mapping[str, EntityParser]) -> list[TableSpec]:
    """Every table a resource can write: its entities', their children, rejected, deliveries."""
    tables = {table.name: table for table in (rejected_table(resource), deliveries_table(resource))}
    for parser in parsers.values():
        for table in (parser.table, *parser.children.values()):
            tables[table.name] = table
    return list(tables.values())
