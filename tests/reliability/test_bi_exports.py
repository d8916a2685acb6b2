"""BI exports are published by atomic rename: a polling reader never sees half a file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from orchestration.resources import ExportDirResource

SMALL, LARGE = 50_000, 400_000


def wait_for_another_read(seen: list[int], failures: list[str]) -> None:
    """Let the reader poll at least once more, so every published size gets observed."""
    reads = len(seen) + len(failures)
    deadline = time.monotonic() + 30
    while len(seen) + len(failures) <= reads + 1 and time.monotonic() < deadline:
        time.sleep(0.001)


def test_a_polling_reader_only_ever_sees_complete_files(tmp_path: Path) -> None:
    exports = ExportDirResource(path=str(tmp_path / "exports"))
    connection = duckdb.connect()
    connection.execute("create schema marts")
    connection.execute(
        f"create table marts.lead_scores as select range as lead_id, random() as total_score "
        f"from range({SMALL})"
    )
    assert exports.publish_parquet(connection, "marts", "lead_scores") == SMALL
    published = tmp_path / "exports" / "lead_scores.parquet"

    seen: list[int] = []
    failures: list[str] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            try:
                seen.append(pq.read_metadata(published).num_rows)
            except (OSError, ValueError) as error:  # a partial or missing file
                failures.append(repr(error))

    reader = threading.Thread(target=poll)
    reader.start()
    for round_number in range(8):
        rows = LARGE if round_number % 2 == 0 else SMALL
        connection.execute(
            f"create or replace table marts.lead_scores as select range as lead_id, "
            f"random() as total_score from range({rows})"
        )
        assert exports.publish_parquet(connection, "marts", "lead_scores") == rows
        wait_for_another_read(seen, failures)
    done.set()
    reader.join()

    assert failures == []
    assert set(seen) == {SMALL, LARGE}
    assert sorted(p.name for p in published.parent.iterdir()) == ["lead_scores.parquet"]
