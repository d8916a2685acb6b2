"""`leadscore serve`: the collector's HTTP server plus the micro-batch loop behind it.

The loop is the only warehouse writer of the process: it wakes when the collector lands a
file (or every `micro_batch_poll_seconds`, for files other tools drop), runs one
micro-batch for the channels with new files, and leaves reads to the Parquet exports.
Restart-safe: the cursor (newest file change batched) is saved beside the warehouse after
each batch, so a restart batches exactly the files that landed since; without a saved
cursor every channel with files is batched once. dlt state skips files already loaded, so
a file batched twice (a crash after the load, before the cursor) never loads twice.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from collector.http_server import make_server
from collector.routes import CollectorApp
from collector.score_reads import ScoreSnapshot
from collector.sendgrid_requests import load_sendgrid_public_key
from orchestration.definitions import build_definitions
from orchestration.micro_batches import landing_changes
from orchestration.runner import WarehouseBusyError, run_micro_batch, run_nightly
from orchestration.settings import Settings

log = logging.getLogger("leadscore.serve")

# A burst of requests becomes one batch: wait this long after the first wake-up.
COALESCE_SECONDS = 0.5
# After a failed or blocked batch, wait before trying the same files again.
RETRY_SECONDS = (2.0, 5.0, 15.0, 30.0)


@dataclass
class BatchStats:
    """What `/healthz` reports about the loop."""

    batches: int = 0
    failures: int = 0
    last_batch_seconds: float | None = None
    last_batch_finished_at: str | None = None
    last_channels: list[str] = field(default_factory=list)

    def as_json(self) -> Mapping[str, Any]:
        return {
            "micro_batches": self.batches,
            "micro_batch_failures": self.failures,
            "last_micro_batch_seconds": self.last_batch_seconds,
            "last_micro_batch_finished_at": self.last_batch_finished_at,
            "last_micro_batch_channels": self.last_channels,
        }


class MicroBatchLoop:
    """Runs micro-batches in a background thread, one at a time, until stopped."""

    def __init__(
        self,
        settings: Settings,
        definitions: dg.Definitions,
        after_batch: Callable[[], None] = lambda: None,
        instance: dg.DagsterInstance | None = None,
    ) -> None:
        self._settings = settings
        self._definitions = definitions
        self._after_batch = after_batch
        # a persistent instance: each batch is a run in its UI, whose warehouse-writing steps
        # take the `duckdb` pool's one slot like every other run's (none: an ephemeral one)
        self._instance = instance
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._writer = threading.Lock()  # one warehouse writer per process
        self._cursor_ns = read_cursor(settings.serve_cursor_path)
        self._failures_in_a_row = 0
        self.stats = BatchStats()
        self._thread = threading.Thread(target=self._run, name="micro-batches", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 600.0) -> None:
        """Stop after the batch in progress (never mid-write), waiting at most `timeout`."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def notify_landed(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        if not (self._settings.export_dir / "lead_scores.parquet").exists():
            self._first_full_run()
        while not self._stop.is_set():
            self._wake.wait(self._settings.micro_batch_poll_seconds)
            if self._stop.is_set():
                return
            if self._wake.is_set():
                time.sleep(COALESCE_SECONDS)
            self._wake.clear()
            delay = self._batch_new_files()
            if delay:
                self._stop.wait(delay)

    def _first_full_run(self) -> None:
        """No scores published yet: a full run (with Splink) builds everything once."""
        log.info("no published scores yet: running the full pipeline first")
        before = landing_changes(self._settings.landing_dir, 0)
        try:
            with self._writer:
                result = run_nightly(self._settings, instance=self._instance)
        except WarehouseBusyError:
            log.warning("warehouse busy (another writer); micro-batches will catch up")
            return
        if result.success:
            self._advance(before.cursor_ns)
            self._after_batch()
        else:
            log.error("the first full run failed (run %s)", result.run_id)

    def _batch_new_files(self) -> float:
        """One micro-batch if files landed; the seconds to wait before retrying (0 = none)."""
        changes = landing_changes(self._settings.landing_dir, self._cursor_ns)
        if not changes.channels:
            return 0.0
        started = time.perf_counter()
        try:
            with self._writer:
                result = run_micro_batch(self._definitions, changes.channels, self._instance)
        except WarehouseBusyError:
            log.warning("warehouse busy (another writer); retrying the micro-batch later")
            return self._retry_delay()
        if not result.success:
            self.stats.failures += 1
            log.error("micro-batch for %s failed (run %s)", changes.channels, result.run_id)
            return self._retry_delay()
        self._advance(changes.cursor_ns)
        self._failures_in_a_row = 0
        elapsed = time.perf_counter() - started
        self.stats.batches += 1
        self.stats.last_batch_seconds = round(elapsed, 2)
        self.stats.last_batch_finished_at = datetime.now(tz=UTC).isoformat()
        self.stats.last_channels = changes.channels
        files = sum(len(paths) for paths in changes.files.values())
        log.info("micro-batch: %d file(s) of %s in %.1f s", files, changes.channels, elapsed)
        self._after_batch()
        return 0.0

    def _advance(self, cursor_ns: int) -> None:
        """Remember (on disk, atomically) that every file up to `cursor_ns` was batched."""
        self._cursor_ns = cursor_ns
        write_cursor(self._settings.serve_cursor_path, cursor_ns)

    def _retry_delay(self) -> float:
        delay = RETRY_SECONDS[min(self._failures_in_a_row, len(RETRY_SECONDS) - 1)]
        self._failures_in_a_row += 1
        return delay


def read_cursor(path: Path) -> int:
    """The saved cursor; 0 (batch every channel with files once) when there is none."""
    try:
        return int(json.loads(path.read_text(encoding="utf-8"))["ctime_ns"])
    except FileNotFoundError:
        return 0


def write_cursor(path: Path, cursor_ns: int) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps({"ctime_ns": cursor_ns}), encoding="utf-8")
    partial.replace(path)


class Service:
    """The HTTP collector and the micro-batch loop, started and stopped together.

    `batching=False` runs the collector alone (another starter, the `landing_files_sensor`,
    batches what it lands); `instance` is where the micro-batch runs are recorded.
    """

    def __init__(
        self,
        settings: Settings,
        host: str,
        port: int,
        batching: bool = True,
        instance: dg.DagsterInstance | None = None,
    ) -> None:
        if not settings.write_key:
            raise ServiceConfigError(
                "LEADSCORE_WRITE_KEY is not set: the collector refuses to start without one"
            )
        key = (
            load_sendgrid_public_key(settings.sendgrid_public_key)
            if settings.sendgrid_public_key
            else None
        )
        self.loop = MicroBatchLoop(settings, build_definitions(settings), instance=instance)
        self._batching = batching
        app = CollectorApp(
            landing_dir=settings.landing_dir,
            write_key=settings.write_key,
            sendgrid_key=key,
            scores=ScoreSnapshot(settings.export_dir),
            on_landed=self.loop.notify_landed if batching else lambda: None,
            health=self.loop.stats.as_json,
        )
        self.server = make_server(app, host, port)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.server.server_address[:2]
        return str(host), int(port)

    def serve_until_stopped(self) -> None:
        """Serve requests until `stop()` (from a signal handler or another thread)."""
        if self._batching:
            self.loop.start()
        try:
            self.server.serve_forever(poll_interval=0.2)
        finally:
            self.server.server_close()
            if self._batching:
                self.loop.stop()

    def stop(self) -> None:
        # shutdown() waits for serve_forever to return: never call it on the serving thread
        threading.Thread(target=self.server.shutdown, daemon=True).start()


class ServiceConfigError(ValueError):
    """A setting `serve` cannot start with (the message says which)."""
