"""The data-driven attribution asset: Markov removal effects and Shapley credits, computed
in Python (orchestration.attribution) over the journeys dbt built, written for dbt to union
into marts.attribution_credits and marts.channel_attribution."""

import time
from typing import Any

import dagster as dg
import pandas as pd

from orchestration.attribution.journeys import JOURNEY_COLUMNS
from orchestration.attribution.models import ATTRIBUTION_TABLE_COLUMNS, attribute_journeys
from orchestration.resources import WarehouseResource

MARKOV_SHAPLEY_KEY = dg.AssetKey(["attribution", "markov_shapley"])
JOURNEYS_KEY = dg.AssetKey(["intermediate", "int_attribution__journeys"])

JOURNEYS_SQL = f"select {', '.join(JOURNEY_COLUMNS)} from intermediate.int_attribution__journeys"  # noqa: S608


@dg.asset(
    key=MARKOV_SHAPLEY_KEY,
    group_name="attribution",
    deps=[JOURNEYS_KEY],
    description="Markov (first-order removal effects, absorbing chain solved exactly) and "
    "Shapley (exact over channel subsets) credits of every conversion, written to "
    "`attribution.markov_shapley_credits` and `attribution.markov_removal_effects` (and its "
    "timing in `attribution.attribution_runs`); dbt unions "
    "them with the heuristic models in marts.attribution_credits.",
    owners=["team:data-engineering"],
    kinds={"python", "duckdb"},
    pool="duckdb",
)
def markov_shapley(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult[Any]:
    with warehouse.connect(read_only=True) as connection:
        journeys = connection.execute(JOURNEYS_SQL).df()
    started = time.perf_counter()
    result = attribute_journeys(journeys)
    seconds = time.perf_counter() - started
    journey_count = int(journeys["journey_id"].nunique())
    conversions = int(journeys.loc[journeys["is_conversion"].astype(bool), "journey_id"].nunique())
    run = pd.DataFrame(
        [
            {
                "journeys": journey_count,
                "converting_journeys": conversions,
                "credit_rows": len(result.credits),
                "seconds": seconds,
            }
        ]
    )
    frames = {
        "markov_shapley_credits": result.credits,
        "markov_removal_effects": result.removal_effects,
        "attribution_runs": run,
    }
    warehouse.replace_tables_from_frames(
        "attribution",
        {table: (ATTRIBUTION_TABLE_COLUMNS[table], frame) for table, frame in frames.items()},
    )
    context.log.info(
        f"Attributed {conversions:,} conversions over {journey_count:,} journeys in {seconds:.2f} s"
    )
    effects = result.removal_effects.loc[:, ["channel", "removal_effect"]]
    return dg.MaterializeResult(
        metadata={
            "journeys": journey_count,
            "converting_journeys": conversions,
            "credit_rows": len(result.credits),
            "seconds": round(seconds, 3),
            "removal_effects": dg.MetadataValue.md(
                effects.to_markdown(index=False, floatfmt=".3f")
            ),
        }
    )
