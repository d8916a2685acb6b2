"""Where a dbt model's time goes: DuckDB's JSON profile of its compiled SQL, on a built warehouse.

    .venv/bin/python benchmarks/profile_models.py --warehouse W --as-of 2026-06-30 \\
        score_ledger touchpoints int_identity__components

Compiles the named models (`dbt compile`, the same vars as a run), then runs each compiled
`select` on a copy of the warehouse under `EXPLAIN ANALYZE` with DuckDB's JSON profiling on
one thread (what `profiles.yml` uses), and prints the query's time and its slowest operators
(name, seconds, rows out, and the operator's condition or key, cut short). The warehouse
itself is never written: the copy is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.settings import DBT_PROJECT_DIR


@dataclass(frozen=True)
class Operator:
    name: str
    seconds: float
    rows: int
    detail: str


def compile_models(warehouse: Path, as_of: str, models: list[str], target: Path) -> None:
    """`dbt compile` of the models into `target` (compiled SQL under target/compiled)."""
    dbt = Path(sys.executable).parent / "dbt"
    dbt_vars = json.dumps({"as_of": as_of, "warehouse_path": str(warehouse)})
    subprocess.run(
        [str(dbt), "compile", "--quiet", "--project-dir", str(DBT_PROJECT_DIR)]
        + ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)]
        + ["--vars", dbt_vars, "--select", *models],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def compiled_sql(target: Path, model: str) -> str:
    (path,) = (target / "compiled").rglob(f"{model}.sql")
    return path.read_text()


def operators(nodes: list[dict[str, Any]]) -> Iterator[Operator]:
    """Every operator of a JSON profile's `operator` tree (DuckDB 2's layout), depth first."""
    for node in nodes:
        extra = node.get("extra_info") or {}
        shown = {key: value for key, value in extra.items() if key != "Estimated Cardinality"}
        detail = " ".join(f"{key}={value}" for key, value in shown.items())
        yield Operator(
            str(node.get("name", node.get("type", "?"))).strip(),
            float(node.get("timing", 0.0)),
            int(node.get("intermediate_rows", 0)),
            " ".join(detail.split())[:160],
        )
        yield from operators(node.get("children", []))


def profile(connection: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    """The JSON profile of one query (EXPLAIN ANALYZE returns it as its second column)."""
    ((_, text),) = connection.execute(f"explain analyze {sql}").fetchall()
    tree: dict[str, Any] = json.loads(text)
    return tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--top", type=int, default=8, help="slowest operators to print")
    parser.add_argument("models", nargs="+")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-models-") as scratch:
        work = Path(scratch)
        copy = work / "warehouse.duckdb"
        shutil.copyfile(arguments.warehouse, copy)
        compile_models(copy, arguments.as_of, arguments.models, work / "target")
        with duckdb.connect(str(copy)) as connection:
            connection.execute("set threads = 1")
            connection.execute("set TimeZone = 'UTC'")
            connection.execute("pragma enable_profiling = 'json'")
            for model in arguments.models:
                tree = profile(connection, compiled_sql(work / "target", model))
                found = sorted(operators(tree["operator"]), key=lambda o: o.seconds, reverse=True)
                total = float(tree["query"]["total_time"])
                print(f"{model}: {total:.2f} s, {len(found)} operators")
                for operator in found[: arguments.top]:
                    print(
                        f"  {operator.seconds:6.2f} s {operator.rows:>10,} rows  "
                        f"{operator.name:<22} {operator.detail}"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
