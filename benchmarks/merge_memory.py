"""dlt's merge of a first web load, replayed in DuckDB alone under given settings: peak RSS.

    .venv/bin/python benchmarks/merge_memory.py --warehouse W.duckdb --work /tmp/m \\
        [--copies 10] [memory_limit=1GB threads=1 ...]

`raw_web.events` of a loaded warehouse (e.g. `benchmarks/ingestion_memory.py`'s) is copied
`--copies` times (message ids made distinct) into a staging table of a fresh database in
`--work`, then merged into an empty table as dlt's delete-insert merge does it: delete the
rows whose key is staged, insert the staged rows deduplicated by `row_number() over
(partition by <key>)`. Prints the rows, the merge's seconds and the process's peak RSS
before and after the merge. Each run is its own process (peak RSS only grows).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

import duckdb

MERGE_SQL = (
    "delete from dest where exists "
    "(select 1 from staging where dest.message_id = staging.message_id)",
    "insert into dest select * exclude (_dlt_dedup_rn) from ("
    " select row_number() over (partition by message_id order by (select null))"
    " as _dlt_dedup_rn, * from staging) where _dlt_dedup_rn = 1",
)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("settings", nargs="*", help="DuckDB settings as name=value")
    args = parser.parse_args()
    settings = dict(setting.split("=", 1) for setting in args.settings)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    connection = duckdb.connect(str(args.work / "merge.duckdb"))
    for name, value in settings.items():
        connection.execute(f"set {name} = '{value}'")
    connection.execute(f"attach '{args.warehouse}' as source (read_only)")
    connection.execute(
        "create table staging as select * replace (message_id || '-' || copy as message_id) "
        "from source.raw_web.events, range(?) as copies(copy)",
        [args.copies],
    )
    connection.execute("create table dest as select * from staging limit 0")
    connection.execute("detach source")
    connection.execute("checkpoint")
    before = peak_mib()
    started = time.perf_counter()
    connection.execute("begin")
    for sql in MERGE_SQL:
        connection.execute(sql)
    connection.execute("commit")
    seconds = time.perf_counter() - started
    (rows,) = connection.execute("select count(*) from dest").fetchall()[0]
    connection.close()
    print(
        f"{settings or 'DuckDB defaults'}: {rows:,} rows merged in {seconds:.1f} s, "
        f"peak RSS {before:,.0f} MiB before the merge, {peak_mib():,.0f} MiB after"
    )
    shutil.rmtree(args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
