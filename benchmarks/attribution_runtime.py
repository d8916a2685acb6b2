"""Runtime of attribution on N journeys: the Python models, then the dbt models.

    .venv/bin/python benchmarks/attribution_runtime.py --journeys 100000 [--seed 7]

Synthesizes journeys with the shape the pipeline builds (1-12 touchpoints over the six
non-sales channels, ~14% converting, repeats and revisits, up to 90 days before the end).
1. Times `orchestration.attribution.models.attribute_journeys` (Markov removal effects and
   Shapley credits): exactly what the asset runs between reading the journeys and writing.
2. Writes the journeys as `intermediate.int_attribution__journeys` (and the conversions) into
   a scratch DuckDB file with the Python tables, and times `dbt run` of everything that reads
   them: the five SQL heuristics, attribution_credits, channel_ and campaign_attribution
   (dbt start-up included).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from orchestration.attribution.models import ATTRIBUTION_TABLE_COLUMNS, attribute_journeys
from orchestration.resources import WarehouseResource

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dbt"))
from test_dbt_build import run_dbt  # noqa: E402

AS_OF = "2026-06-30"
END = pd.Timestamp(f"{AS_OF} 12:00:00")

CHANNELS = np.array(["web", "email", "social", "support", "event", "direct_mail"])


def synthetic_journeys(count: int, seed: int) -> pd.DataFrame:
    """One row per journey touchpoint, in the journey frame's columns."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 13, size=count)
    journey = np.repeat(np.arange(count), lengths)
    rank = np.concatenate([np.arange(1, n + 1) for n in lengths])
    # a journey favours a few channels: web most, then email and social
    channel = CHANNELS[
        rng.choice(len(CHANNELS), size=len(journey), p=[0.45, 0.25, 0.12, 0.06, 0.07, 0.05])
    ]
    converted = rng.random(count) < 0.06 + 0.012 * lengths
    ids = np.char.add("j", journey.astype(str))
    # days before the journey's end, decreasing with the rank
    days = rng.uniform(0, 90, size=len(journey))
    days = days[np.lexsort((-days, journey))]  # journeys stay in place, days fall with rank
    return pd.DataFrame(
        {
            "journey_id": ids,
            "conversion_id": np.where(converted[journey], ids, None),
            "lead_id": ids,
            "is_conversion": converted[journey],
            "journey_end_at": END,
            "revenue": np.where(converted[journey], 20_000.0, 0.0),
            "touchpoint_id": np.char.add(ids, np.char.add("-", rank.astype(str))),
            "channel": channel,
            "campaign": np.where(rank % 3 == 0, "spring", None),
            "occurred_at": END - pd.to_timedelta(days, unit="D"),
            "touchpoint_rank": rank,
            "touchpoint_count": lengths[journey],
            "days_before_end": days,
        }
    )


def time_dbt_models(journeys: pd.DataFrame, python_tables: dict[str, pd.DataFrame]) -> float:
    """Seconds of `dbt run` of the attribution marts over the journeys in a scratch file."""
    with tempfile.TemporaryDirectory(prefix="attribution-bench-") as scratch:
        work = Path(scratch)
        warehouse = work / "warehouse.duckdb"
        conversions = journeys.loc[journeys["is_conversion"]].drop_duplicates("journey_id")
        with duckdb.connect(str(warehouse)) as con:
            con.execute("create schema intermediate")
            con.register("journeys", journeys)
            con.execute("create table intermediate.int_attribution__journeys as "
                        "select * from journeys")  # fmt: skip
            con.register("conversions", conversions)
            con.execute(
                "create table intermediate.int_attribution__conversions as select "
                "conversion_id, lead_id, journey_end_at as converted_at, "
                "cast(null as varchar) as opportunity_id, true as is_won, revenue "
                "from conversions"
            )
        scratch_warehouse = WarehouseResource(path=str(warehouse), dlt_pipelines_dir=str(work))
        scratch_warehouse.replace_tables_from_frames(
            "attribution",
            {
                name: (ATTRIBUTION_TABLE_COLUMNS[name], table)
                for name, table in python_tables.items()
            },
        )
        started = time.perf_counter()
        result = run_dbt(
            ["run", "--select", "source:attribution+", "--vars", f"{{as_of: {AS_OF}}}"],
            warehouse,
            work,
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(result.stdout[-3000:] + result.stderr[-3000:])
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute("select count(*) from marts.attribution_credits").fetchall()[0][0]
        print(f"dbt run of the attribution marts: {seconds:.1f} s ({rows:,} credit rows, "
              "seven models, dbt start-up included)")  # fmt: skip
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    journeys = synthetic_journeys(args.journeys, args.seed)
    conversions = journeys.loc[journeys["is_conversion"], "journey_id"].nunique()
    started = time.perf_counter()
    result = attribute_journeys(journeys)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.journeys:,} journeys ({len(journeys):,} touchpoints, {conversions:,} converting): "
        f"Markov + Shapley in {seconds:.2f} s, {len(result.credits):,} credit rows, "
        f"peak RSS {peak:,.0f} MiB"
    )
    print(result.removal_effects.to_string(index=False))
    runs = pd.DataFrame([{"journeys": args.journeys, "converting_journeys": conversions,
                          "credit_rows": len(result.credits), "seconds": seconds}])  # fmt: skip
    time_dbt_models(
        journeys,
        {
            "markov_shapley_credits": result.credits,
            "markov_removal_effects": result.removal_effects,
            "attribution_runs": runs,
        },
    )


if __name__ == "__main__":
    main()
