"""The journey frame both data-driven models read, and the split of channel shares over
touchpoints they share.

A journey frame has one row per journey touchpoint (as `intermediate.int_attribution__journeys`):
`journey_id`, `is_conversion`, `conversion_id`, `lead_id`, `touchpoint_id`, `channel` and
`touchpoint_rank` (1-based order in the journey: time, then touchpoint_id).
"""

from __future__ import annotations

import pandas as pd

JOURNEY_COLUMNS = (
    "journey_id",
    "is_conversion",
    "conversion_id",
    "lead_id",
    "touchpoint_id",
    "channel",
    "touchpoint_rank",
)
CREDIT_COLUMNS = ("conversion_id", "lead_id", "touchpoint_id", "channel", "model", "credit")


def ordered_journeys(journeys: pd.DataFrame) -> pd.DataFrame:
    """The journey frame sorted by journey and rank, with a clean index."""
    missing = [column for column in JOURNEY_COLUMNS if column not in journeys.columns]
    if missing:
        raise ValueError(f"journey frame lacks columns {missing}")
    frame = journeys.loc[:, list(JOURNEY_COLUMNS)].copy()
    frame["is_conversion"] = frame["is_conversion"].astype(bool)
    return frame.sort_values(["journey_id", "touchpoint_rank"], kind="stable").reset_index(
        drop=True
    )


def journey_channel_sets(journeys: pd.DataFrame) -> pd.DataFrame:
    """One row per journey: `is_conversion` and `channel_set`, its distinct channels as a
    sorted tuple."""
    distinct = journeys.drop_duplicates(["journey_id", "channel"]).sort_values(
        ["journey_id", "channel"]
    )
    return distinct.groupby("journey_id", sort=True).agg(
        is_conversion=("is_conversion", "first"),
        channel_set=("channel", tuple),
    )


def split_channel_shares(
    journeys: pd.DataFrame, channel_weight: pd.Series, model: str
) -> pd.DataFrame:
    """Credit rows of converting journeys: each journey's channels share the conversion in
    proportion to `channel_weight` (one weight per journey row, the same for a journey's
    rows of one channel; equal shares when every weight of the journey is 0), then a
    channel's share goes equally to its touchpoints in the journey."""
    converting = journeys.loc[journeys["is_conversion"]].copy()
    if converting.empty:
        return pd.DataFrame(columns=list(CREDIT_COLUMNS))
    converting["weight"] = channel_weight.loc[converting.index].astype(float)
    by_channel = converting.groupby(["journey_id", "channel"], sort=False)
    converting["channel_touchpoints"] = by_channel["touchpoint_id"].transform("size")
    distinct = converting.drop_duplicates(["journey_id", "channel"])
    journey_weight = distinct.groupby("journey_id")["weight"].sum()
    journey_channels = distinct.groupby("journey_id")["channel"].size()
    total = converting["journey_id"].map(journey_weight)
    channels = converting["journey_id"].map(journey_channels)
    share = (converting["weight"] / total.where(total > 0)).fillna(1.0 / channels)
    converting["credit"] = share / converting["channel_touchpoints"]
    converting["model"] = model
    return converting.loc[:, list(CREDIT_COLUMNS)].reset_index(drop=True)
