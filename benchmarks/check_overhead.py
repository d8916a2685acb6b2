"""Checks per asset, and the time the Python checks (GX suites, freshness, volume, drift)
added to the newest run of a Dagster instance.

    DAGSTER_HOME=data/dagster_home .venv/bin/python benchmarks/check_overhead.py

Run it after `make run` (which records into data/dagster_home). dbt tests run inside the
dbt steps and are not counted here.
"""

from __future__ import annotations

import collections
import sys

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.settings import load_settings


def checks_per_asset() -> None:
    graph = build_definitions(load_settings()).resolve_asset_graph()
    counts: collections.Counter[str] = collections.Counter(
        key.asset_key.to_user_string() for key in graph.asset_check_keys
    )
    assets = len(list(graph.get_all_asset_keys()))
    print(f"{len(graph.asset_check_keys)} checks on {len(counts)} of {assets} assets")
    for asset, count in counts.most_common(12):
        print(f"  {count:3d}  {asset}")


def newest_run_check_seconds(instance: dg.DagsterInstance) -> None:
    runs = instance.get_runs(limit=1)
    if not runs:
        print("no runs in this instance")
        return
    run = runs[0]
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    materializing: set[str] = set()
    checking: set[str] = set()
    for record in instance.all_logs(run.run_id):
        event = record.dagster_event
        if event is None or record.step_key is None:
            continue
        kind = event.event_type_value
        if kind == "STEP_START":
            started[record.step_key] = record.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and record.step_key in started:
            seconds[record.step_key] = record.timestamp - started[record.step_key]
        elif kind == "ASSET_MATERIALIZATION":
            materializing.add(record.step_key)
        elif kind == "ASSET_CHECK_EVALUATION":
            checking.add(record.step_key)
    check_steps = checking - materializing
    total = sum(seconds.values())
    check_total = sum(seconds[step] for step in check_steps if step in seconds)
    print(
        f"run {run.run_id}: {len(seconds)} steps, {total:.1f} s in steps; "
        f"{len(check_steps)} check steps, {check_total:.1f} s ({check_total / total:.0%})"
    )
    for step in sorted(check_steps, key=lambda s: -seconds.get(s, 0))[:5]:
        print(f"  {seconds.get(step, 0):6.2f} s  {step}")


def main() -> int:
    checks_per_asset()
    newest_run_check_seconds(dg.DagsterInstance.get())
    return 0


if __name__ == "__main__":
    sys.exit(main())
