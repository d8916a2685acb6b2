"""A digest of every mart of one generated landing zone: equal digests, equal behaviour.

Take one before a refactor and one after it (nothing else changed in between):

    .venv/bin/python tools/mart_digest.py --work /tmp/digest-before
    .venv/bin/python tools/mart_digest.py --work /tmp/digest-after

It generates a landing zone, runs `leadscore run --as-of` into a fresh warehouse and prints,
per marts table, its rows and a SHA-256 of its contents, then one digest over all of them.
Columns that name the run rather than the data are left out, and floats are rounded to nine
places (DuckDB's parallel sums may differ in the last bit between two runs).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb

from ingestion.generator import generate_landing_zone

AS_OF = date(2026, 6, 30)
RUN_COLUMNS = {"_dlt_load_id", "_dlt_id", "load_id", "seconds", "trained_at"}


def mart_columns(
    connection: duckdb.DuckDBPyConnection, table: str, excluded: set[str]
) -> list[str]:
    """The columns of `marts.<table>` in their order, but the `excluded` ones."""
    return [
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        if name not in excluded
    ]


def table_digests(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(rows, SHA-256 of the sorted rows) of every marts table."""
    digests: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
        for (table,) in tables:
            columns = mart_columns(connection, table, RUN_COLUMNS)
            column_list = ", ".join(f'"{name}"' for name in columns)
            rows = connection.execute(
                f'select {column_list} from marts."{table}" order by all'  # noqa: S608
            ).fetchall()
            digest = hashlib.sha256(repr(columns).encode())
            for row in rows:
                rounded = tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                digest.update(repr(rounded).encode())
            digests[table] = (len(rows), digest.hexdigest())
    return digests


def run_pipeline(work: Path, leads: int, days: int, seed: int) -> Path:
    """Generate the landing zone and run the whole pipeline on it; the warehouse's path."""
    if work.exists():
        shutil.rmtree(work)
    landing = work / "landing"
    generate_landing_zone(landing, leads=leads, days=days, seed=seed, end_date=AS_OF)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LEADSCORE_")}
    environment.pop("DAGSTER_HOME", None)
    environment |= {
        "LEADSCORE_LANDING_DIR": str(landing),
        "LEADSCORE_WAREHOUSE": str(work / "warehouse.duckdb"),
        "LEADSCORE_EXPORT_DIR": str(work / "exports"),
        "LEADSCORE_REPORT_DIR": str(work / "reports"),
    }
    leadscore = Path(sys.executable).parent / "leadscore"
    subprocess.run(  # noqa: S603 - our own console script
        [str(leadscore), "run", "--as-of", AS_OF.isoformat()],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return work / "warehouse.duckdb"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (replaced)")
    parser.add_argument("--leads", type=int, default=150)
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--seed", type=int, default=3)
    arguments = parser.parse_args()
    warehouse = run_pipeline(arguments.work, arguments.leads, arguments.days, arguments.seed)
    digests = table_digests(warehouse)
    overall = hashlib.sha256()
    for table, (rows, digest) in digests.items():
        print(f"{table:40} {rows:>8} {digest[:16]}")
        overall.update(f"{table}:{digest}".encode())
    print(f"{len(digests)} marts tables, digest {overall.hexdigest()}")


if __name__ == "__main__":
    main()
