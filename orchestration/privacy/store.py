"""The privacy tables: `privacy.suppression_list` (salted hashes) and `marts.erasure_log`.

Neither holds personal data: identifiers only as HMAC-SHA256 hashes under the warehouse's
salt (`salt.py`), the reason with the person's identifiers redacted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime

import duckdb

from ingestion.suppression import SuppressionList

SUPPRESSION_DDL = """
create schema if not exists privacy;
create table if not exists privacy.suppression_list (
    identifier_hash varchar primary key,
    key_type varchar not null,
    request_id varchar not null,
    suppressed_at timestamp with time zone not null
)
"""
ERASURE_LOG_DDL = """
create schema if not exists marts;
create table if not exists marts.erasure_log (
    request_id varchar primary key,
    requested_at timestamp with time zone not null,
    reason varchar,
    identifier_hashes varchar[] not null,
    rows_removed json not null,
    total_rows_removed bigint not null,
    manifest_rows_suppressed bigint not null
)
"""


def ensure_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(SUPPRESSION_DDL)
    connection.execute(ERASURE_LOG_DDL)


def add_suppressed(
    connection: duckdb.DuckDBPyConnection,
    hashes: Mapping[str, str],
    request_id: str,
    at: datetime,
) -> None:
    """Add each identifier hash (-> its key type) once; a hash already listed stays as is."""
    connection.executemany(
        "insert into privacy.suppression_list values (?, ?, ?, ?) on conflict do nothing",
        [[digest, key_type, request_id, at] for digest, key_type in sorted(hashes.items())],
    )


def log_erasure(
    connection: duckdb.DuckDBPyConnection,
    request_id: str,
    at: datetime,
    reason: str | None,
    hashes: Sequence[str],
    rows_removed: Mapping[str, int],
    manifest_rows: int,
) -> None:
    connection.execute(
        "insert into marts.erasure_log values (?, ?, ?, ?, ?, ?, ?)",
        [
            request_id,
            at,
            reason,
            sorted(hashes),
            json.dumps(dict(sorted(rows_removed.items()))),
            sum(rows_removed.values()),
            manifest_rows,
        ],
    )


def read_suppression(connection: duckdb.DuckDBPyConnection, salt: bytes) -> SuppressionList:
    """The warehouse's suppression list (empty when nothing was ever erased)."""
    exists = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'privacy' and table_name = 'suppression_list'"
    ).fetchall()[0][0]
    if not exists:
        return SuppressionList(salt, frozenset())
    rows = connection.execute("select identifier_hash from privacy.suppression_list").fetchall()
    return SuppressionList(salt, frozenset(row[0] for row in rows))
