"""What one micro-batch's dbt invocations cost, batch after batch, on a built warehouse.

    LEADSCORE_WAREHOUSE=W LEADSCORE_EXPORT_DIR=E \\
        .venv/bin/python benchmarks/micro_batch_dbt_cost.py --landing L --batches 3

Over a warehouse built by `leadscore run`: lands one Segment page view of a known lead per
batch (as the collector would), runs the `micro_batch_scoring` job for `web` in-process
(what `leadscore serve` does), and prints per batch: the run's wall time, each dbt step's
wall time, and, from dbt's own log in the step's target folder, the time dbt spent before
executing models (start-up and parse) and executing them. The first batch after a fresh
start pays what a serve restart pays; later ones show what is reused between batches.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from collector.landing_writer import land_segment_calls
from orchestration.definitions import build_definitions
from orchestration.runner import run_micro_batch
from orchestration.settings import DBT_PROJECT_DIR, load_settings

# dbt's structured log events: execution starts after this one, ends with the last.
EXECUTION_STARTS, EXECUTION_ENDS = "ConcurrencyLine", "FinishedRunningStats"


def page_view(run: str, number: int) -> list[dict[str, object]]:
    now = datetime.now(tz=UTC).isoformat().replace("+00:00", "Z")
    anonymous = f"dbt-cost-{run}-{number}"
    return [
        {
            "type": "page",
            "messageId": f"{anonymous}-p",
            "anonymousId": anonymous,
            "timestamp": now,
            "receivedAt": now,
            "properties": {"path": "/pricing", "url": "https://www.example.com/pricing"},
        }
    ]


def step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Wall seconds of each step of a run (start to success or failure)."""
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or record.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[record.step_key] = record.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            seconds[record.step_key] = record.timestamp - started[record.step_key]
    return seconds


def dbt_log_events(log_paths: Iterable[Path], since: float) -> list[tuple[float, str]]:
    """(wall instant, name) of every structured event after `since` in dbt's logs, in order
    (dbt rotates `dbt.log` into `dbt.log.1` mid-invocation)."""
    events = []
    for log_path in log_paths:
        for line in log_path.read_text(encoding="utf-8").splitlines():
            try:
                info = json.loads(line)["info"]
            except (ValueError, KeyError):
                continue
            stamp = datetime.fromisoformat(info["ts"].replace("Z", "+00:00")).timestamp()
            if stamp >= since:
                events.append((stamp, info["name"]))
    return sorted(events)


def dbt_phases(log_path: Path, since: float) -> list[tuple[float, float]]:
    """(seconds before execution, seconds executing) per dbt invocation in a dbt.log that
    started after `since` (a folder reused across batches keeps appending to one log)."""
    phases = []
    first = execution = None
    for stamp, name in dbt_log_events([log_path], since):
        if name == "MainReportVersion":
            first, execution = stamp, None
        elif name == EXECUTION_STARTS and first is not None:
            execution = stamp
        elif name == EXECUTION_ENDS and first is not None and execution is not None:
            phases.append((execution - first, stamp - execution))
            first = None
    return phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--batches", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings().with_overrides(landing_dir=args.landing)
    definitions = build_definitions(settings)
    run = uuid.uuid4().hex[:8]
    totals, fixed = [], []
    for number in range(1, args.batches + 1):
        land_segment_calls(settings.landing_dir, page_view(run, number), datetime.now(tz=UTC))
        started, since = time.perf_counter(), time.time()
        instance = dg.DagsterInstance.ephemeral()
        result = run_micro_batch(definitions, ["web"], instance)
        total = time.perf_counter() - started
        steps = step_seconds(instance, result.run_id)
        dbt_steps = {key: value for key, value in steps.items() if key.startswith("dbt_")}
        logs = sorted(DBT_PROJECT_DIR.glob("target/*/dbt.log"), key=lambda p: p.stat().st_mtime)
        phases = dbt_phases(logs[-1], since) if logs else []
        before = sum(phase[0] for phase in phases)
        executing = sum(phase[1] for phase in phases)
        dbt_wall = sum(dbt_steps.values())
        totals.append(total)
        fixed.append(dbt_wall - executing)
        each = ", ".join(f"{key} {value:.1f}" for key, value in dbt_steps.items())
        print(
            f"batch {number}: {'ok' if result.success else 'FAILED'} {total:.1f} s; "
            f"dbt steps {dbt_wall:.1f} s ({each}); dbt before execution {before:.1f} s, "
            f"executing {executing:.1f} s, fixed (dbt steps - executing) "
            f"{dbt_wall - executing:.1f} s",
            flush=True,
        )
    print(
        f"median over {args.batches}: batch {statistics.median(totals):.1f} s, "
        f"fixed dbt cost {statistics.median(fixed):.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
