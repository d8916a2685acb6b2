"""Deleting one person's rows from every table of the warehouse, and keeping the ingestion
accounting true: an erased raw row's count moves to `suppressed` in its delivery manifest.

A row is the person's when any text, JSON or list column holds one of their identifiers as a
whole token (any case, URL-encoded too). A numeric identifier (a Zendesk user id) would also
be a ticket number or a position somewhere else, so it is matched only where it names a
user: integer columns `requester_id`, `submitter_id`, `assignee_id`, `user_id`, the `id` of
a `users` table, and identity key columns (`key_value`, `*_key_value`). Every base table
is searched except the privacy tables themselves and dlt's bookkeeping (`_dlt_*`), so
models that are views follow, and tables added later are covered without a list to keep.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import duckdb

from orchestration.privacy.identifiers import Person, match_pattern, numeric_values

# Tables of the privacy feature itself: never searched (they hold no personal data).
PRIVACY_TABLES = {("privacy", "suppression_list"), ("marts", "erasure_log")}
TEXT_TYPES = ("VARCHAR", "JSON")
INTEGER_TYPES = ("BIGINT", "INTEGER", "HUGEINT", "UBIGINT")
# The entity each raw table's rows are counted as in the delivery manifest (the
# `entity_tables` of dbt's stg_audit__raw_row_counts); other raw tables (children such as
# response_answers) are not counted there.
RAW_TABLE_ENTITIES = {
    "events": "event",
    "tickets": "ticket",
    "users": "user",
    "forms": "form",
    "responses": "response",
    "reactions": "reaction",
    "comments": "comment",
    "scans": "scan",
    "leads": "lead",
    "opportunities": "opportunity",
    "tasks": "task",
}

_COLUMNS_SQL = """
select c.table_schema, c.table_name, c.column_name, c.data_type
from information_schema.columns as c
inner join information_schema.tables as t
    on c.table_schema = t.table_schema and c.table_name = t.table_name
where t.table_type = 'BASE TABLE'
    and t.table_catalog = current_database()
    and c.table_catalog = current_database()
    and t.table_name not like '\\_dlt\\_%' escape '\\'
order by c.table_schema, c.table_name, c.ordinal_position
"""


@dataclass(frozen=True)
class SearchedTable:
    schema: str
    name: str
    text_columns: tuple[str, ...]
    id_columns: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def qualified(self) -> str:
        return f'"{self.schema}"."{self.name}"'

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.name}"


def _is_text(data_type: str) -> bool:
    kind = data_type.upper()
    return kind in TEXT_TYPES or kind.endswith("[]") or kind.startswith(("STRUCT", "MAP"))


USER_ID_COLUMN = re.compile(r"(^|_)(requester|submitter|assignee|user)_id$")
KEY_VALUE_COLUMN = re.compile(r"(^|_)key_value$")


def _is_user_id(table: str, column: str, data_type: str) -> bool:
    if data_type.upper() in INTEGER_TYPES:
        return bool(USER_ID_COLUMN.search(column)) or (column == "id" and table.endswith("users"))
    return data_type.upper() == "VARCHAR" and bool(KEY_VALUE_COLUMN.search(column))


def searched_tables(connection: duckdb.DuckDBPyConnection) -> list[SearchedTable]:
    """Every base table that can hold a person's identifiers, with the columns to search."""
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in connection.execute(_COLUMNS_SQL).fetchall():
        if (schema, table) not in PRIVACY_TABLES:
            columns.setdefault((schema, table), []).append((column, data_type))
    tables = []
    for (schema, table), typed in columns.items():
        text = tuple(c for c, kind in typed if _is_text(kind))
        ids = tuple(c for c, kind in typed if _is_user_id(table, c, kind))
        if text or ids:
            tables.append(SearchedTable(schema, table, text, ids, tuple(c for c, _ in typed)))
    return tables


def row_condition(table: SearchedTable, with_words: bool, with_ids: bool) -> str:
    """SQL true for a row holding an identifier; `$pattern` and `$ids` are bound."""
    parts = []
    if with_words:
        parts += [
            f"""regexp_matches(lower(cast("{c}" as varchar)), $pattern)"""
            for c in table.text_columns
        ]
    if with_ids:
        parts += [f'list_contains($ids, cast("{c}" as varchar))' for c in table.id_columns]
    return " or ".join(parts) if parts else "false"


@dataclass
class ManifestMoves:
    """Counts to move to `suppressed` per raw schema, (file, entity) and former column."""

    moves: Counter[tuple[str, str, str, str]]

    def add(self, schema: str, file: str, entity: str, column: str, count: int) -> None:
        self.moves[(schema, file, entity, column)] += count


def erase_rows(
    connection: duckdb.DuckDBPyConnection, person: Person, tables: Sequence[SearchedTable]
) -> tuple[dict[str, int], ManifestMoves]:
    """Delete the person's rows from every table; rows removed per table (only tables that
    lost a row). Must run inside the caller's transaction."""
    ids = [str(value) for value in numeric_values(person.values)]
    words = [value for value in person.erased_values if not value.isdigit()]
    parameters = {"pattern": match_pattern(words), "ids": ids}
    removed: dict[str, int] = {}
    moves = ManifestMoves(Counter())
    for table in tables:
        condition = row_condition(table, bool(words), bool(ids))
        used = {k: v for k, v in parameters.items() if f"${k}" in condition}
        if not used:
            continue
        _record_manifest_moves(connection, table, condition, used, moves)
        deleted = connection.execute(
            f"delete from {table.qualified} where {condition}",  # noqa: S608
            used,
        ).fetchall()[0][0]
        if deleted:
            removed[table.label] = int(deleted)
    return removed, moves


def _is_raw_dataset(connection: duckdb.DuckDBPyConnection, schema: str) -> bool:
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = '_dlt_loads'",
            [schema],
        ).fetchall()[0][0]
    )


def _record_manifest_moves(
    connection: duckdb.DuckDBPyConnection,
    table: SearchedTable,
    condition: str,
    parameters: Mapping[str, object],
    moves: ManifestMoves,
) -> None:
    if "file" not in table.columns or not _is_raw_dataset(connection, table.schema):
        return
    where = f"from {table.qualified} where {condition}"  # noqa: S608
    if table.name.endswith("_rejected"):
        for file, entity, disposition, count in connection.execute(
            f"select file, entity, disposition, count(*) {where} group by all",  # noqa: S608
            parameters,
        ).fetchall():
            moves.add(table.schema, file, entity, disposition, count)
    elif table.name in RAW_TABLE_ENTITIES:
        entity = RAW_TABLE_ENTITIES[table.name]
        for file, count in connection.execute(
            f"select file, count(*) {where} group by file",  # noqa: S608
            parameters,
        ).fetchall():
            moves.add(table.schema, file, entity, "emitted", count)


def apply_manifest_moves(connection: duckdb.DuckDBPyConnection, moves: ManifestMoves) -> int:
    """Move each erased row's count from emitted / quarantined / filtered to `suppressed` in
    its `<resource>_deliveries` row, so `delivered` still balances; rows moved."""
    moved = 0
    for schema, deliveries in _deliveries_tables(connection, {key[0] for key in moves.moves}):
        for (move_schema, file, entity, column), count in moves.moves.items():
            if move_schema != schema:
                continue
            updated = connection.execute(
                f'update "{schema}"."{deliveries}" '  # noqa: S608
                f'set "{column}" = "{column}" - $count, '
                "suppressed = coalesce(suppressed, 0) + $count "
                "where file = $file and entity = $entity",
                {"count": count, "file": file, "entity": entity},
            ).fetchall()[0][0]
            if updated:
                moved += count
    return moved


def _deliveries_tables(
    connection: duckdb.DuckDBPyConnection, schemas: Iterable[str]
) -> list[tuple[str, str]]:
    wanted = sorted(schemas)
    if not wanted:
        return []
    return connection.execute(
        "select t.table_schema, t.table_name from information_schema.tables as t "
        "where t.table_schema in (select unnest($schemas)) "
        "and t.table_name like '%\\_deliveries' escape '\\' "
        "and exists (select 1 from information_schema.columns as c "
        "where c.table_schema = t.table_schema and c.table_name = t.table_name "
        "and c.column_name = 'suppressed') order by 1, 2",
        {"schemas": wanted},
    ).fetchall()
