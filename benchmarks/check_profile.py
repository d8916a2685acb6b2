"""Every Python asset check (GX suites, freshness, volume, identity, scores) timed one by one.

    LEADSCORE_LANDING_DIR=... LEADSCORE_WAREHOUSE=... \\
        .venv/bin/python benchmarks/check_profile.py [--as-of 2026-06-30] [--only gx_]

Run it against a warehouse a `leadscore run` built. Each check is invoked directly, in this one
process, in the order of the Definitions, with the resources of the settings. For each: wall
and CPU seconds (CPU is fairer on a shared machine), the rows it validated (`rows_validated`,
GX suites) or the rows of the table it reads, and the peak RSS of this process while it ran
(sampled every 10 ms) with its growth over the RSS before it. GX's import is timed first, on
its own: a process pays it once.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmarks` is no package

import dagster as dg  # noqa: E402
import duckdb  # noqa: E402

from benchmarks.measure import MIB, PAGE_BYTES  # noqa: E402
from orchestration.definitions import build_definitions  # noqa: E402
from orchestration.settings import load_settings  # noqa: E402


def table_rows(warehouse: Path, asset: dg.AssetKey) -> int | None:
    """Rows of the table behind an asset key (schema.table), None if there is none."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        try:
            row = connection.execute(
                f'select count(*) from "{asset.path[0]}"."{asset.path[-1]}"'  # noqa: S608
            ).fetchone()
        except duckdb.Error:
            return None
    return None if row is None else int(row[0])


def own_rss_bytes() -> int:
    """This process's resident bytes (the checks run in it; no children to walk)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_BYTES


class RssPeak:
    """The highest `own_rss_bytes` seen while the block runs, sampled in a thread."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval, self.peak = interval, own_rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, own_rss_bytes())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, own_rss_bytes())


def invoke(check: dg.AssetChecksDefinition, resources: dict[str, object]) -> dg.AssetCheckResult:
    """Call the check's function with the resources it names."""
    needed = check.required_resource_keys - {"io_manager"}  # Dagster's default, unused
    result = check(**{key: resources[key] for key in needed})
    assert isinstance(result, dg.AssetCheckResult), type(result)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="", help="YYYY-MM-DD; empty: today, as `leadscore run`")
    parser.add_argument("--only", default="", help="only checks whose name starts with this")
    args = parser.parse_args()
    settings = load_settings()
    defs = build_definitions(settings, as_of=args.as_of)
    resources = dict(defs.resources or {})

    started = time.perf_counter()
    import great_expectations  # noqa: F401, PLC0415  (timed on purpose)

    print(f"import great_expectations: {time.perf_counter() - started:.2f} s")
    print(f"{'check':<34} {'s':>7} {'cpu s':>6} {'rows':>10} {'peak MiB':>9} {'+MiB':>6}  passed")
    total, total_cpu = 0.0, 0.0
    for check in defs.asset_checks or []:
        assert isinstance(check, dg.AssetChecksDefinition)
        (key,) = check.check_keys
        if not key.name.startswith(args.only):
            continue
        before = own_rss_bytes()
        with RssPeak() as sampled:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = invoke(check, resources)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = sampled.peak
        total, total_cpu = total + seconds, total_cpu + cpu
        validated = result.metadata.get("rows_validated")
        rows = (
            validated.value
            if validated is not None
            else table_rows(settings.warehouse_path, key.asset_key)
        )
        print(
            f"{key.name:<34} {seconds:7.2f} {cpu:6.2f} {rows if rows is not None else '':>10} "
            f"{peak / MIB:9.0f} {(peak - before) / MIB:6.0f}  {result.passed}"
        )
    print(f"{'total':<34} {total:7.2f} {total_cpu:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
