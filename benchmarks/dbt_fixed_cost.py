"""Where a dbt invocation's fixed time goes, on a built warehouse: dbt's phases and Dagster's.

    LEADSCORE_WAREHOUSE=W LEADSCORE_EXPORT_DIR=E \\
        .venv/bin/python benchmarks/dbt_fixed_cost.py --landing L [--batches 2] [--profile OUT]

Lands one Segment page view per batch (as `micro_batch_dbt_cost.py` does) and runs the
`micro_batch_scoring` job for `web` in-process. Per dbt invocation it prints, from dbt's own
structured log in the step's target folder, the seconds between dbt's milestones:

- `start`: from dagster-dbt starting the process to dbt's first event (interpreter, imports);
- `adapter`: to the adapter registered (dbt's CLI, project and profile, dbt-duckdb imports);
- `pp load`: to partial parsing decided (reading `partial_parse.msgpack`, the vars hash);
- `manifest`: to the manifest written (the manifest built from the partial parse, then
  `manifest.json`: ~2.7 MB; with `--no-write-json` this phase is counted in `graph`);
- `graph`: to the nodes found (the DAG, the selection);
- `cache`: to the first node (the relation cache: one `list relations` per schema, and the
  connection);
- `nodes`: executing the nodes (dbt's own node times are inside);
- `artifacts`: to the command completed (run_results.json, manifest.json again);
- `exit`: to dagster-dbt seeing the process end.

Then the Dagster side of the run from cProfile: the adapter dagster-dbt builds in-process
before each invocation, the event stream (dbt's events to Dagster's), our table metadata
(`_with_metadata`), and Dagster's step overhead (the rest of each dbt step's wall time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt.core import dbt_cli_invocation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.micro_batch_dbt_cost import (  # noqa: E402
    dbt_log_events,
    page_view,
    step_seconds,
)
from collector.landing_writer import land_segment_calls  # noqa: E402
from orchestration.definitions import build_definitions  # noqa: E402
from orchestration.runner import run_micro_batch  # noqa: E402
from orchestration.settings import DBT_PROJECT_DIR, load_settings  # noqa: E402

# dbt's structured events that end each phase, in order (the first event starts `adapter`)
MILESTONES = (
    ("adapter", ("AdapterRegistered",)),
    ("pp load", ("PartialParsingEnabled", "UnableToPartialParse", "PartialParsingNotEnabled")),
    ("manifest", ("ArtifactWritten",)),
    ("graph", ("FoundStats",)),
    ("cache", ("ConcurrencyLine",)),
    ("nodes", ("FinishedRunningStats",)),
    ("artifacts", ("CommandCompleted",)),
)
PHASES = ("start", *(name for name, _ in MILESTONES), "exit")
# cProfile functions (file fragment, function name) for the Dagster-side split
DAGSTER_SIDE = {
    "adapter in-process": ("dagster_dbt/core/resource.py", "_initialize_dbt_core_adapter"),
    "table metadata": ("orchestration/assets/transformation.py", "_with_metadata"),
    "dbt steps (wall)": ("orchestration/assets/transformation.py", "dbt_selection"),
}


@contextmanager
def process_clock(spawns: list[tuple[float, float]]) -> Iterator[None]:
    """Record (start, end) wall instants of every dbt process dagster-dbt starts."""
    real_popen = subprocess.Popen

    class TimedPopen(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.started = time.time()
            super().__init__(*args, **kwargs)

        def wait(self, timeout: float | None = None) -> int:
            code = super().wait(timeout)
            if Path(str(self.args[0])).name == "dbt":
                spawns.append((self.started, time.time()))
            return code

    dbt_cli_invocation.subprocess.Popen = TimedPopen  # type: ignore[misc]
    try:
        yield
    finally:
        dbt_cli_invocation.subprocess.Popen = real_popen  # type: ignore[misc]


def dbt_invocations(log_paths: list[Path], since: float) -> list[list[tuple[str, float]]]:
    """Per invocation started after `since`: (event name, wall instant) of its events."""
    invocations: list[list[tuple[str, float]]] = []
    for stamp, name in dbt_log_events(log_paths, since):
        if name == "MainReportVersion":
            invocations.append([(name, stamp)])
        elif invocations:
            invocations[-1].append((name, stamp))
    return invocations


def phase_seconds(events: list[tuple[str, float]], spawn: tuple[float, float]) -> dict[str, float]:
    """The seconds of each phase of one invocation (see the module docstring)."""
    seconds = {"start": events[0][1] - spawn[0]}
    previous, position = events[0][1], 0
    for name, ends_with in MILESTONES:
        for index in range(position, len(events)):
            if events[index][0] in ends_with:
                seconds[name] = events[index][1] - previous
                previous, position = events[index][1], index + 1
                break
    seconds["exit"] = spawn[1] - previous
    return seconds


def cumulative_seconds(stats: pstats.Stats, file_part: str, function: str) -> tuple[int, float]:
    """(calls, cumulative seconds) of a function in a cProfile run."""
    calls, seconds = 0, 0.0
    for (file_name, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name == function and file_part in file_name:
            calls, seconds = calls + row[1], seconds + row[3]
    return calls, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="write the cProfile stats here")
    args = parser.parse_args()
    settings = load_settings().with_overrides(landing_dir=args.landing)
    definitions = build_definitions(settings)
    run = uuid.uuid4().hex[:8]
    print(f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}")
    for number in range(1, args.batches + 1):
        land_segment_calls(settings.landing_dir, page_view(run, number), datetime.now(tz=UTC))
        instance = dg.DagsterInstance.ephemeral()
        spawns: list[tuple[float, float]] = []
        profile = cProfile.Profile()
        since, started = time.time(), time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with process_clock(spawns):
            profile.enable()
            result = run_micro_batch(definitions, ["web"], instance)
            profile.disable()
        total = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        own_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
            cpu_before.ru_utime + cpu_before.ru_stime
        )
        dbt_cpu = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        logs = sorted(DBT_PROJECT_DIR.glob("target/*/dbt.log*"))
        invocations = dbt_invocations(logs, since)
        steps = {k: v for k, v in step_seconds(instance, result.run_id).items() if "dbt" in k}
        print(
            f"batch {number}: {'ok' if result.success else 'FAILED'} {total:.1f} s wall, "
            f"CPU {own_cpu:.1f} s in-process + {dbt_cpu:.1f} s dbt processes; "
            f"{len(spawns)} dbt processes; load {Path('/proc/loadavg').read_text().split()[0]}"
        )
        print("  " + " ".join(f"{phase:>9}" for phase in PHASES) + "  (seconds per invocation)")
        totals = dict.fromkeys(PHASES, 0.0)
        for events, spawn in zip(invocations, sorted(spawns), strict=False):
            seconds = phase_seconds(events, spawn)
            for phase in PHASES:
                totals[phase] += seconds.get(phase, 0.0)
            print("  " + " ".join(f"{seconds.get(phase, 0.0):9.2f}" for phase in PHASES))
        print("  " + " ".join(f"{totals[phase]:9.2f}" for phase in PHASES) + "  total")
        stats = pstats.Stats(profile)
        in_dbt = sum(end - begin for begin, end in spawns)
        step_wall = sum(steps.values())
        print(f"  dbt steps {step_wall:.2f} s wall, of which dbt processes {in_dbt:.2f} s")
        for label, (file_part, function) in DAGSTER_SIDE.items():
            calls, seconds = cumulative_seconds(stats, file_part, function)
            print(f"  {label}: {seconds:.2f} s in {calls} calls")
        if args.profile:
            stats.dump_stats(str(args.profile.with_suffix(f".{number}.prof")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
