"""Ingestion throughput: rows per second per channel, and the whole pipeline's wall time.

    .venv/bin/python benchmarks/ingestion_throughput.py --leads 2000 --days 90

Generates a landing zone in a temporary folder, loads every channel with its dlt source
(timed one by one), then runs the full nightly job (dbt included) once, and prints the
figures and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmarks` is no package

from benchmarks.measure import loaded_rows  # noqa: E402
from ingestion.generator import generate_landing_zone  # noqa: E402
from ingestion.sources import CHANNEL_SOURCES  # noqa: E402
from orchestration.resources import LOADER_FILE_FORMAT, make_dlt_pipeline  # noqa: E402
from orchestration.runner import run_nightly  # noqa: E402
from orchestration.settings import configure_library_environment, load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    configure_library_environment()

    with tempfile.TemporaryDirectory(prefix="leadscore-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        generate_landing_zone(
            root / "landing", leads=args.leads, days=args.days, seed=args.seed,
            end_date=date(2026, 6, 30),
        )  # fmt: skip
        print(f"generate: {time.perf_counter() - started:.1f} s")
        with (root / "landing_truth" / "touchpoints.csv").open() as file:
            touchpoints = sum(1 for _ in csv.DictReader(file))
        print(f"touchpoints in the landing zone: {touchpoints:,}")

        settings = load_settings(
            {"LEADSCORE_LANDING_DIR": str(root / "landing"),
             "LEADSCORE_WAREHOUSE": str(root / "bench.duckdb")}
        )  # fmt: skip
        total_rows, total_seconds = 0, 0.0
        for channel, make_source in CHANNEL_SOURCES.items():
            pipeline = make_dlt_pipeline(
                channel, settings.warehouse_path, settings.dlt_pipelines_dir
            )
            started = time.perf_counter()
            info = pipeline.run(
                make_source(settings.landing_dir), loader_file_format=LOADER_FILE_FORMAT
            )
            seconds = time.perf_counter() - started
            rows = loaded_rows(pipeline.last_trace.last_normalize_info.row_counts)
            total_rows, total_seconds = total_rows + rows, total_seconds + seconds
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"  {channel:<8} {rows:>9,} rows {seconds:7.1f} s {rows / seconds:>9,.0f} rows/s"
                f"  (peak RSS so far {peak:,.0f} MiB)"
            )
            assert not info.has_failed_jobs
        print(f"ingestion: {total_rows:,} rows in {total_seconds:.1f} s = "
              f"{total_rows / total_seconds:,.0f} rows/s")  # fmt: skip

        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # dbt's log lines
            result = run_nightly(settings, "2026-06-30")
        print(f"nightly job after the load (dbt build + checks): "
              f"{time.perf_counter() - started:.1f} s, success={result.success}")  # fmt: skip
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE":
                print(f"  failed step {event.step_key}: {event.step_failure_data.error.message}")
            if (
                event.event_type_value == "ASSET_CHECK_EVALUATION"
                and not event.asset_check_evaluation_data.passed
            ):
                print(f"  failed check {event.asset_check_evaluation_data.check_name}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
