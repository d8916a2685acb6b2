"""Time of one `leadscore forget` on a big warehouse.

    .venv/bin/python benchmarks/forget_runtime.py --leads 2000 --days 90
    .venv/bin/python benchmarks/forget_runtime.py --leads 2000 --inflate 1000000

Generates a landing zone, runs the whole pipeline once into a fresh warehouse, then
(`--inflate N`) copies rows of `raw_web.events`, `raw_web_staging.events` and
`marts.touchpoints` with new ids until each holds N rows, as a 1M-touchpoint warehouse would,
without ingesting 44,000 people. Then forgets the person with the most touchpoints and
prints the wall time of the erasure (search and delete in every table, manifests,
exports, compaction), the rows removed and the file size before and after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingestion.generator import generate_landing_zone  # noqa: E402
from orchestration.privacy.forget import forget  # noqa: E402
from orchestration.runner import run_nightly  # noqa: E402
from orchestration.settings import configure_library_environment, load_settings  # noqa: E402

# Copies of existing rows under new ids (the `copy_<n>-` prefix keeps every id unique).
_INFLATE_SQL = {
    "raw_web.events": "message_id",
    "raw_web_staging.events": "message_id",
    "marts.touchpoints": "touchpoint_id",
}


def inflate(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as connection:
        for table, key in _INFLATE_SQL.items():
            have = connection.execute(f"select count(*) from {table}").fetchall()[0][0]  # noqa: S608
            if not have or have >= rows:
                continue
            copies = -(-rows // have) - 1
            columns = [
                name
                for (name,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema || '.' || table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(
                f"'copy_' || n || '-' || \"{c}\"" if c == key else f'"{c}"' for c in columns
            )
            connection.execute(
                f"insert into {table} select {select} from {table}, range(1, {copies + 1}) r(n) "  # noqa: S608
                f"limit {rows - have}"
            )
        connection.execute("checkpoint")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--inflate", type=int, default=0, help="touchpoints to reach by copies")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    args = parser.parse_args()
    configure_library_environment()
    root = args.work or Path(tempfile.mkdtemp(prefix="forget-bench-"))
    landing = root / "landing"
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(root / "exports"),
            "LEADSCORE_REPORT_DIR": str(root / "reports"),
        }
    )
    if not settings.warehouse_path.exists():
        generate_landing_zone(landing, leads=args.leads, days=args.days, seed=5)
        started = time.perf_counter()
        run_nightly(settings)
        print(f"pipeline run: {time.perf_counter() - started:.1f} s")
    if args.inflate:
        inflate(settings.warehouse_path, args.inflate)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        touchpoints = connection.execute("select count(*) from marts.touchpoints").fetchall()[0][0]
        (email,) = connection.execute(
            "select p.email from marts.lead_profiles as p join marts.touchpoints as t "
            "using (lead_id) group by p.email order by count(*) desc, p.email limit 1"
        ).fetchall()[0]
    size = settings.warehouse_path.stat().st_size
    started = time.perf_counter()
    report = forget(settings, email, reason="benchmark")
    seconds = time.perf_counter() - started
    print(
        f"forget on {touchpoints:,} touchpoints ({size / 1e6:,.0f} MB): {seconds:.1f} s, "
        f"{report.total_rows:,} rows in {len(report.rows_removed)} tables, "
        f"file {size / 1e6:,.0f} -> {report.warehouse_bytes / 1e6:,.0f} MB"
    )


if __name__ == "__main__":
    main()
