"""What the benchmarks share: a process tree's sampled RSS, and per-stage figures from events.

`TreeRssSampler` polls `/proc` every `interval` seconds for the resident memory of a process
and all its descendants (dbt runs as a child of `leadscore run`), summed, with a timestamp, so
a stage's peak is the highest sample inside its time windows. `stage_table` is pure: from the
Dagster steps of a run (start/end times and what they emitted), the per-node durations dbt
reported, and dlt's trace steps per source, it builds one row per pipeline stage.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024

# --------------------------------------------------------------------------------------------
# Memory: RSS of a process tree, sampled
# --------------------------------------------------------------------------------------------


def _children(proc: Path) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss_bytes(root: int, proc: Path = Path("/proc")) -> int:
    """Resident bytes of `root` and every descendant (0 once it has ended)."""
    children = _children(proc)
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        try:
            total += int((proc / str(pid) / "statm").read_text().split()[1]) * PAGE_BYTES
        except OSError:
            continue
    return total


@dataclass
class TreeRssSampler:
    """Samples `tree_rss_bytes(pid)` in a thread: (time.time(), bytes) pairs."""

    pid: int
    interval: float = 0.2
    samples: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> TreeRssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), tree_rss_bytes(self.pid)))
            self._stop.wait(self.interval)


def peak_in(samples: Sequence[tuple[float, int]], windows: Iterable[tuple[float, float]]) -> int:
    """The highest sample taken inside any of `windows` (0 when none was)."""
    spans = list(windows)
    return max(
        (rss for at, rss in samples if any(start <= at <= end for start, end in spans)), default=0
    )


def loaded_rows(row_counts: Mapping[str, int]) -> int:
    """Rows dlt normalized into data tables (its own `_dlt_*` tables left out)."""
    return sum(int(count) for table, count in row_counts.items() if not table.startswith("_dlt"))


# --------------------------------------------------------------------------------------------
# Stages from a run's events
# --------------------------------------------------------------------------------------------

STAGES = (
    "extract",
    "normalize",
    "load",
    "ingestion other",  # the ingest steps outside dlt's phases (Dagster, purge, metadata)
    "identity (Splink)",
    "dbt start-up",  # dbt steps' wall time beyond the nodes dbt timed (start, parse, compile)
    "dbt models",
    "dbt tests",
    "checks (GX, Python)",
    "exports",
    "other",
)
INGEST_PREFIX = "ingest_"
DBT_PREFIX = "dbt_"
IDENTITY_PREFIX = "identity__"
EXPORT_PREFIXES = ("exports__", "reports__", "actions__")


@dataclass(frozen=True)
class StepRecord:
    """One Dagster step: when it ran and what it emitted."""

    key: str
    started: float
    finished: float
    materializations: int = 0
    check_evaluations: int = 0
    model_seconds: float = 0.0  # dbt steps: sum of dbt's execution durations of models
    test_seconds: float = 0.0  # and of tests


@dataclass(frozen=True)
class DltPhase:
    """One step of dlt's trace of a source's run (extract, normalize or load)."""

    source: str
    phase: str
    started: float
    finished: float


@dataclass
class StageRow:
    stage: str
    seconds: float = 0.0
    windows: list[tuple[float, float]] = field(default_factory=list)
    steps: int = 0


def stage_of(step: StepRecord) -> str:
    """The stage of a non-dlt, non-dbt step: by its key, or a step that only checked."""
    if step.key.startswith(IDENTITY_PREFIX):
        return "identity (Splink)"
    if step.key.startswith(EXPORT_PREFIXES):
        return "exports"
    if step.check_evaluations and not step.materializations:
        return "checks (GX, Python)"
    return "other"


def stage_table(steps: Sequence[StepRecord], dlt_phases: Sequence[DltPhase]) -> list[StageRow]:
    """Seconds and time windows per stage (every stage listed, in pipeline order).

    Ingest steps are split by dlt's trace (the remainder is "ingestion other"); dbt steps by
    the node durations dbt reported (models, tests; the remainder is start-up). Steps run one
    at a time (in-process executor), so stages add up to the steps' total.
    """
    rows = {stage: StageRow(stage) for stage in STAGES}

    def add(stage: str, seconds: float, window: tuple[float, float]) -> None:
        rows[stage].seconds += seconds
        rows[stage].windows.append(window)
        rows[stage].steps += 1

    for phase in dlt_phases:
        add(phase.phase, phase.finished - phase.started, (phase.started, phase.finished))
    for step in steps:
        window = (step.started, step.finished)
        wall = step.finished - step.started
        if step.key.startswith(INGEST_PREFIX):
            inside = [
                p.finished - p.started
                for p in dlt_phases
                if step.started <= p.started and p.finished <= step.finished
            ]
            add("ingestion other", max(wall - sum(inside), 0.0), window)
        elif step.key.startswith(DBT_PREFIX):
            add("dbt models", step.model_seconds, window)
            add("dbt tests", step.test_seconds, window)
            add("dbt start-up", max(wall - step.model_seconds - step.test_seconds, 0.0), window)
        else:
            add(stage_of(step), wall, window)
    return [rows[stage] for stage in STAGES]
