"""Both data-driven models over one journey frame: the tables the attribution asset writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from orchestration.attribution.journeys import CREDIT_COLUMNS, ordered_journeys
from orchestration.attribution.markov import markov_credits, removal_effects
from orchestration.attribution.shapley import shapley_credits

REMOVAL_EFFECT_COLUMNS = (
    "channel",
    "removal_effect",
    "conversion_probability_without",
    "conversion_probability",
)

# The tables the attribution asset writes to the `attribution` schema: name -> column types.
ATTRIBUTION_TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "markov_shapley_credits": {
        "conversion_id": "varchar",
        "lead_id": "varchar",
        "touchpoint_id": "varchar",
        "channel": "varchar",
        "model": "varchar",
        "credit": "double",
    },
    "markov_removal_effects": {
        "channel": "varchar",
        "removal_effect": "double",
        "conversion_probability_without": "double",
        "conversion_probability": "double",
    },
    "attribution_runs": {
        "journeys": "bigint",
        "converting_journeys": "bigint",
        "credit_rows": "bigint",
        "seconds": "double",
    },
}


@dataclass(frozen=True)
class DataDrivenAttribution:
    credits: pd.DataFrame  # CREDIT_COLUMNS, markov and shapley rows
    removal_effects: pd.DataFrame  # REMOVAL_EFFECT_COLUMNS, one row per channel


def attribute_journeys(journeys: pd.DataFrame) -> DataDrivenAttribution:
    """Markov and Shapley credits of every converting journey, and the removal effects."""
    frame = ordered_journeys(journeys)
    if frame.empty:  # a young warehouse: nothing to attribute, and nothing to fail on
        return DataDrivenAttribution(
            credits=pd.DataFrame(columns=list(CREDIT_COLUMNS)),
            removal_effects=pd.DataFrame(columns=list(REMOVAL_EFFECT_COLUMNS)),
        )
    effects = removal_effects(frame)
    credits = pd.concat(
        [markov_credits(frame, effects), shapley_credits(frame)], ignore_index=True
    ).loc[:, list(CREDIT_COLUMNS)]
    effect_table = pd.DataFrame(
        [asdict(effect) for effect in effects], columns=list(REMOVAL_EFFECT_COLUMNS)
    )
    return DataDrivenAttribution(credits=credits, removal_effects=effect_table)
