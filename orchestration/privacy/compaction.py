"""Rewriting the warehouse into a new file, so no byte of deleted rows stays in it.

DuckDB keeps deleted rows' bytes in free blocks until they are reused, and CHECKPOINT or
VACUUM do not clear them (see STACK.md). `COPY FROM DATABASE` into a fresh file writes only
the live rows; the copy keeps the original's storage format (BI tools on DuckDB 1.x still
open it) and is renamed over the original, so a reader sees the old file or the new one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

COMPACTED_ALIAS = "compacted"


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def storage_version(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The storage format the open database was created with (e.g. `v1.4.0`), if it says."""
    rows = connection.execute(
        "select tags from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    tags = rows[0][0] if rows else None
    version = (tags or {}).get("storage_version")
    return version.rstrip("+") if version else None  # `v1.4.0+`: written by 1.4.0 or later


def compact_database(path: Path) -> int:
    """Rewrite the DuckDB file at `path` into a new file and swap it in; bytes after.

    Nobody else may hold the file (the caller opened it as the only writer and closed it).
    """
    partial = path.with_name(f".{path.name}.compacting")
    for leftover in (partial, wal_path(partial)):
        leftover.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("checkpoint")
        version = storage_version(connection)
        source = connection.execute("select current_database()").fetchall()[0][0]
        options = f" (storage_version '{version}')" if version else ""
        connection.execute(f"attach '{partial}' as {COMPACTED_ALIAS}{options}")
        connection.execute(f'copy from database "{source}" to {COMPACTED_ALIAS}')
        connection.execute(f"checkpoint {COMPACTED_ALIAS}")
        connection.execute(f"detach {COMPACTED_ALIAS}")
    partial.replace(path)  # atomic within one file system
    wal_path(partial).unlink(missing_ok=True)
    wal_path(path).unlink(missing_ok=True)  # checkpointed above: holds nothing we need
    return path.stat().st_size
