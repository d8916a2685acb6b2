"""The whole pipeline at growing sizes, stage by stage, against DuckDB alone (the floor).

    .venv/bin/python benchmarks/pipeline_growth.py --touchpoints 100000 1000000

For each size: generates a clean landing zone (streaming; about `TOUCHPOINTS_PER_PERSON`
touchpoints per generated person at 90 days), runs the floor (`duckdb_floor.py`) and then the
real `leadscore run` as child processes, each sampled for the RSS of its process tree
(`measure.TreeRssSampler`, every 0.2 s). The stages come from real events: the Dagster run's
steps (its persistent instance in the work folder), dlt's trace of each source's run
(`pipeline.last_trace`: extract, normalize, load) and dbt's own execution time of every
model and test (dagster-dbt's "Execution Duration" metadata). Prints, per stage, the seconds,
rows per second (raw rows loaded for the dlt phases, touchpoints after), the peak RSS inside
the stage's windows and the ratio to the floor; then dbt's invocations and slowest models.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.measure import (  # noqa: E402
    DBT_PREFIX,
    MIB,
    DltPhase,
    StageRow,
    StepRecord,
    TreeRssSampler,
    loaded_rows,
    peak_in,
    stage_table,
)

# The measure: 20,000 people -> 457,742 touchpoints at the generator's 90 days.
TOUCHPOINTS_PER_PERSON = 457_742 / 20_000
DAYS = 90
END_DATE = date(2026, 6, 30)
DURATION = "Execution Duration"


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_bytes: int
    samples: list[tuple[float, int]]
    cpu_seconds: float  # user + system of the process tree (its waited-for descendants)
    load_average: float  # the machine's 1-minute load average at the end (2 cores)


def measured_child(command: list[str], env: dict[str, str], log: Path) -> Measured:
    """Run `command` to its end, sampling its process tree's RSS; stdout+stderr into `log`."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        with TreeRssSampler(process.pid) as sampler:
            code = process.wait()
    if code != 0:
        raise SystemExit(f"{command[:3]} failed ({code}); see {log}")
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = max((rss for _, rss in sampler.samples), default=0)
    return Measured(seconds, peak, sampler.samples, cpu, os.getloadavg()[0])


def generate(landing: Path, touchpoints: int) -> int:
    """A clean landing zone of about `touchpoints`; returns the true touchpoint count."""
    from ingestion.generator import generate_landing_zone

    leads = max(1, round(touchpoints / TOUCHPOINTS_PER_PERSON))
    generate_landing_zone(landing, leads=leads, days=DAYS, end_date=END_DATE, clean=True,
                          dirty=False)  # fmt: skip  # the floor has no quarantine
    return count_rows(landing.parent / f"{landing.name}_truth" / "touchpoints.csv")


def count_rows(path: Path) -> int:
    with path.open() as file:
        return sum(1 for _ in csv.DictReader(file))


def run_steps(dagster_home: Path) -> tuple[list[StepRecord], dict[str, float]]:
    """The steps of the last run in `dagster_home`, and dbt's duration per model."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        entries = instance.all_logs(run.run_id)
    started: dict[str, float] = {}
    finished: dict[str, float] = {}
    counts: dict[str, dict[str, float]] = {}
    model_seconds: dict[str, float] = {}
    for entry in entries:
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        key, kind = event.step_key, event.event_type_value
        tally = counts.setdefault(key, {"mat": 0, "chk": 0, "models": 0.0, "tests": 0.0})
        if kind == "STEP_START":
            started[key] = entry.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            finished[key] = entry.timestamp
        elif kind == "ASSET_MATERIALIZATION":
            tally["mat"] += 1
            materialization = event.step_materialization_data.materialization
            seconds = _seconds(materialization.metadata)
            tally["models"] += seconds
            if key.startswith(DBT_PREFIX):
                model_seconds[materialization.asset_key.to_user_string()] = seconds
        elif kind == "ASSET_CHECK_EVALUATION":
            tally["chk"] += 1
            tally["tests"] += _seconds(event.asset_check_evaluation_data.metadata)
        elif kind == "ASSET_OBSERVATION":  # dbt tests not attached to one asset
            tally["tests"] += _seconds(event.asset_observation_data.asset_observation.metadata)
    steps = [
        StepRecord(
            key,
            started[key],
            finished[key],
            int(counts[key]["mat"]),
            int(counts[key]["chk"]),
            counts[key]["models"] if key.startswith(DBT_PREFIX) else 0.0,
            counts[key]["tests"] if key.startswith(DBT_PREFIX) else 0.0,
        )
        for key in sorted(started, key=started.__getitem__)
        if key in finished
    ]
    return steps, model_seconds


def _seconds(metadata: Mapping[str, Any]) -> float:
    value = metadata.get(DURATION)
    return float(value.value) if value is not None else 0.0


def dlt_phases(pipelines_dir: Path) -> tuple[list[DltPhase], int]:
    """dlt's extract/normalize/load of each source's last run, and the raw rows it loaded."""
    import dlt

    from ingestion.sources import CHANNELS

    phases: list[DltPhase] = []
    rows = 0
    for channel in CHANNELS:
        name = f"leadscore_{channel}"
        pipeline = dlt.attach(pipeline_name=name, pipelines_dir=str(pipelines_dir))
        trace = pipeline.last_trace
        if trace is None:  # the source never ran
            continue
        for step in trace.steps:
            if step.step in ("extract", "normalize", "load") and step.finished_at is not None:
                phases.append(DltPhase(channel, step.step, step.started_at.timestamp(),
                                       step.finished_at.timestamp()))  # fmt: skip
        if trace.last_normalize_info is not None:
            rows += loaded_rows(trace.last_normalize_info.row_counts)
    return phases, rows


def stage_lines(
    rows: list[StageRow], run: Measured, floor: Measured, raw_rows: int, touchpoints: int
) -> list[str]:
    lines = [
        f"{'stage':<22}{'seconds':>9}{'rows/s':>11}{'peak MiB':>10}{'x floor':>9}",
        f"{'floor (DuckDB alone)':<22}{floor.seconds:>9.1f}{touchpoints / floor.seconds:>11,.0f}"
        f"{floor.peak_bytes / MIB:>10,.0f}{1:>9.1f}",
    ]
    for row in rows:
        if not row.windows:
            continue
        basis = raw_rows if row.stage in ("extract", "normalize", "load") else touchpoints
        rate = f"{basis / row.seconds:,.0f}" if row.seconds > 0 else "-"
        lines.append(
            f"{row.stage:<22}{row.seconds:>9.1f}{rate:>11}"
            f"{peak_in(run.samples, row.windows) / MIB:>10,.0f}{row.seconds / floor.seconds:>9.1f}"
        )
    lines.append(
        f"{'total leadscore run':<22}{run.seconds:>9.1f}{touchpoints / run.seconds:>11,.0f}"
        f"{run.peak_bytes / MIB:>10,.0f}{run.seconds / floor.seconds:>9.1f}"
    )
    return lines


def bench(size: int, work: Path, keep_landing: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    landing, warehouse, home = work / "landing", work / "warehouse.duckdb", work / "dagster_home"
    for stale in (warehouse, work / "warehouse_dlt", home):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    started = time.perf_counter()
    truth = landing.parent / f"{landing.name}_truth" / "touchpoints.csv"
    if keep_landing and truth.exists():
        touchpoints = count_rows(truth)
        print(f"\n== {size:,} touchpoints asked: {touchpoints:,} kept from {landing}", flush=True)
    else:
        touchpoints = generate(landing, size)
        print(f"\n== {size:,} touchpoints asked: {touchpoints:,} generated "
              f"in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip

    # exports and the report stay in the work folder, not in the repository's data/
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "LEADSCORE_EXPORT_DIR": str(work / "exports"),
        "LEADSCORE_REPORT_DIR": str(work / "reports"),
    }
    python = sys.executable
    floor = measured_child(
        [python, str(ROOT / "benchmarks" / "duckdb_floor.py"), "--landing", str(landing), "--json"],
        env, work / "floor.log",
    )  # fmt: skip
    floor_result = json.loads((work / "floor.log").read_text().strip().splitlines()[-1])
    leadscore = str(Path(python).with_name("leadscore"))
    run = measured_child(
        [leadscore, "run", "--landing", str(landing), "--warehouse", str(warehouse),
         "--as-of", END_DATE.isoformat()],
        env, work / "run.log",
    )  # fmt: skip
    steps, model_seconds = run_steps(home)
    phases, raw_rows = dlt_phases(work / "warehouse_dlt")
    print(f"floor: {floor_result['records']:,} activities, {floor_result['people']:,} people; "
          f"pipeline: {raw_rows:,} raw rows loaded")  # fmt: skip
    for line in stage_lines(stage_table(steps, phases), run, floor, raw_rows, touchpoints):
        print(line)
    print(f"CPU seconds: floor {floor.cpu_seconds:.1f}, run {run.cpu_seconds:.1f} "
          f"(x{run.cpu_seconds / floor.cpu_seconds:.1f}); load average at the end: "
          f"{floor.load_average:.1f} (floor), {run.load_average:.1f} (run) on "
          f"{os.cpu_count()} cores")  # fmt: skip
    dbt_steps = [step for step in steps if step.key.startswith(DBT_PREFIX)]
    walls = ", ".join(f"{step.key} {step.finished - step.started:.0f} s" for step in dbt_steps)
    print(f"dbt invocations: {len(dbt_steps)} ({walls})")
    slowest = sorted(model_seconds.items(), key=lambda item: -item[1])[:5]
    print("slowest dbt models: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/leadscore-bench"),
        help="one folder per size under it (landing zone, warehouse, logs)",
    )
    parser.add_argument(
        "--keep-landing",
        action="store_true",
        help="reuse a landing zone this script generated before in the work folder (10M: 12 min)",
    )
    args = parser.parse_args()
    for size in args.touchpoints:
        bench(size, args.work / str(size), args.keep_landing)


if __name__ == "__main__":
    main()
