"""`GET /v1/leads/...`: a lead's current score, read from the published Parquet exports.

The warehouse has one writer and no readers while a batch writes; the exports are renamed
into place whole. `ScoreSnapshot` loads the few tables a lookup needs into an in-memory
DuckDB once per publication, so every read sees one complete publication, never a
half-written state, and never touches the warehouse file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from orchestration.explain import FIND_LEAD_SQL

# The exported marts a lookup reads (FIND_LEAD_SQL and SCORE_ROW_SQL), all in schema `marts`.
SNAPSHOT_TABLES = ("lead_scores", "lead_profiles", "lead_identities", "lead_id_aliases")

SCORE_ROW_SQL = """
select lead_id, total_score, band, grid_cell, top_reasons, as_of, fit_score,
    engagement_score, fit_grade, engagement_tier, owner, rules_version
from marts.lead_scores
where lead_id = ?
"""


class ScoresNotPublishedError(RuntimeError):
    """No complete set of exports yet (no run has finished)."""


@dataclass(frozen=True)
class _Loaded:
    connection: duckdb.DuckDBPyConnection
    versions: tuple[int, ...]  # mtime_ns of each exported file, in SNAPSHOT_TABLES order
    updated_at: datetime  # when lead_scores.parquet was published


class ScoreSnapshot:
    """The latest published scores, reloaded when the export files change."""

    def __init__(self, export_dir: Path) -> None:
        self._export_dir = export_dir
        self._loaded: _Loaded | None = None
        self._reload_lock = threading.Lock()

    def lead_score(self, email_or_lead_id: str) -> dict[str, Any] | None:
        """The lead's score row as JSON-ready values, or None when no lead matches."""
        loaded = self._current()
        cursor = loaded.connection.cursor()  # a cursor per call: DuckDB's thread-safe path
        try:
            matches = cursor.execute(FIND_LEAD_SQL, [email_or_lead_id]).fetchall()
            if len(matches) != 1:
                return None
            result = cursor.execute(SCORE_ROW_SQL, [matches[0][0]])
            columns = [column[0] for column in result.description]
            rows = result.fetchall()
        finally:
            cursor.close()
        if not rows:
            return None
        row = dict(zip(columns, rows[0], strict=True))
        row["total_score"] = _number(row["total_score"])
        row["fit_score"] = _number(row["fit_score"])
        row["engagement_score"] = _number(row["engagement_score"])
        row["as_of"] = row["as_of"].isoformat() if row["as_of"] is not None else None
        row["updated_at"] = loaded.updated_at.isoformat()
        return row

    def _current(self) -> _Loaded:
        versions = self._file_versions()
        loaded = self._loaded
        if loaded is not None and loaded.versions == versions:
            return loaded
        with self._reload_lock:
            if self._loaded is None or self._loaded.versions != versions:
                self._loaded = self._load(versions)
            return self._loaded

    def _file_versions(self) -> tuple[int, ...]:
        try:
            return tuple(
                (self._export_dir / f"{table}.parquet").stat().st_mtime_ns
                for table in SNAPSHOT_TABLES
            )
        except FileNotFoundError:
            raise ScoresNotPublishedError(
                f"no published scores in {self._export_dir} yet"
            ) from None

    def _load(self, versions: tuple[int, ...]) -> _Loaded:
        connection = duckdb.connect()
        connection.execute("create schema marts")
        for table in SNAPSHOT_TABLES:  # identifiers from the fixed list above
            connection.execute(
                f"create table marts.{table} as select * from read_parquet(?)",  # noqa: S608
                [str(self._export_dir / f"{table}.parquet")],
            )
        updated_at = datetime.fromtimestamp(versions[0] / 1e9, tz=UTC)
        return _Loaded(connection, versions, updated_at)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
