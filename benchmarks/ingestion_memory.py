"""Where ingestion's memory goes: every channel's dlt phases (extract, normalize, load) one by
one on an existing landing zone, with this process's peak RSS in each phase.

    .venv/bin/python benchmarks/ingestion_memory.py --landing /tmp/l1m --work /tmp/work

The landing zone is one `leadscore generate` wrote (or `--leads N` generates one into the work
folder first). The warehouse and dlt's folders go to `--work` (emptied first). For each
channel and phase: wall seconds, rows, the phase's peak RSS (sampled every 0.2 s) and its
growth over the RSS before the phase; at the end the landing zone's largest files and the
process's peak. dlt's destination connection runs with our DuckDB settings
(`orchestration.resources.DUCKDB_LOAD_CONFIG`).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmarks` is no package

from benchmarks.measure import MIB, TreeRssSampler, loaded_rows, tree_rss_bytes  # noqa: E402
from ingestion.generator import generate_landing_zone  # noqa: E402
from ingestion.sources import CHANNEL_SOURCES  # noqa: E402
from orchestration.resources import LOADER_FILE_FORMAT, make_dlt_pipeline  # noqa: E402
from orchestration.settings import configure_library_environment, load_settings  # noqa: E402


def measured(step: Callable[[], Any]) -> tuple[Any, float, int, int]:
    """(the step's result, seconds, peak RSS, RSS before) of one call."""
    pid = os.getpid()
    before = tree_rss_bytes(pid)
    with TreeRssSampler(pid, interval=0.2) as sampler:
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    return result, seconds, max([before, *(rss for _, rss in sampler.samples)]), before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path)
    parser.add_argument("--leads", type=int, default=0, help="generate this many people first")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    configure_library_environment()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    landing = args.landing or args.work / "landing"
    if args.leads:
        generate_landing_zone(
            landing, leads=args.leads, days=args.days, seed=7, end_date=date(2026, 6, 30)
        )
    settings = load_settings(
        {"LEADSCORE_LANDING_DIR": str(landing),
         "LEADSCORE_WAREHOUSE": str(args.work / "warehouse.duckdb")}
    )  # fmt: skip
    sizes = sorted(landing.rglob("*.*"), key=lambda path: -path.stat().st_size)
    total_bytes = sum(path.stat().st_size for path in sizes)
    print(f"landing zone: {len(sizes)} files, {total_bytes / MIB:,.0f} MiB; largest:")
    for path in sizes[:3]:
        print(f"  {path.stat().st_size / MIB:8.1f} MiB  {path.relative_to(landing)}")
    print(f"{'channel':<8} {'phase':<10} {'rows':>10} {'s':>7} {'peak MiB':>9} {'+MiB':>6}")
    total_rows, total_seconds, peak = 0, 0.0, 0
    for channel, make_source in CHANNEL_SOURCES.items():
        pipeline = make_dlt_pipeline(channel, settings.warehouse_path, settings.dlt_pipelines_dir)
        source = make_source(settings.landing_dir)
        phases: list[tuple[str, Callable[[], Any]]] = [
            (
                "extract",
                functools.partial(pipeline.extract, source, loader_file_format=LOADER_FILE_FORMAT),
            ),
            ("normalize", pipeline.normalize),
            ("load", pipeline.load),
        ]
        rows = 0
        for phase, step in phases:
            _, seconds, phase_peak, before = measured(step)
            if phase == "normalize":
                rows = loaded_rows(pipeline.last_trace.last_normalize_info.row_counts)
            total_seconds += seconds
            peak = max(peak, phase_peak)
            print(
                f"{channel:<8} {phase:<10} {rows if phase != 'extract' else '':>10} "
                f"{seconds:7.1f} {phase_peak / MIB:9.0f} {(phase_peak - before) / MIB:6.0f}"
            )
        total_rows += rows
    print(
        f"ingestion: {total_rows:,} rows in {total_seconds:.1f} s = "
        f"{total_rows / total_seconds:,.0f} rows/s, peak RSS {peak / MIB:,.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
