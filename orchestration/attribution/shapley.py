"""Shapley values over channel coalitions (after Dalessandro et al.), exact over subsets.

The worth `v(S)` of a set of channels is the conversion rate of the journeys whose distinct
channels are exactly `S` (`v(S) = 0` for the empty set and for a set no journey has). A
conversion with channels `C` gives channel `c`
`phi_c = sum over S in C - {c} of |S|! (|C| - |S| - 1)! / |C|! (v(S + {c}) - v(S))`;
a negative value counts as 0 and the shares are normalized.
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import pandas as pd

from orchestration.attribution.journeys import journey_channel_sets, split_channel_shares

MODEL = "shapley"
ChannelSet = tuple[str, ...]


def coalition_worths(journeys: pd.DataFrame) -> dict[ChannelSet, float]:
    """`v(S)` for every channel set some journey has exactly (sorted tuples)."""
    sets = journey_channel_sets(journeys)
    rates = sets.groupby("channel_set")["is_conversion"].mean()
    return {tuple(channel_set): float(rate) for channel_set, rate in rates.items()}


def shapley_values(channels: ChannelSet, worths: dict[ChannelSet, float]) -> dict[str, float]:
    """`phi_c` for each channel of `channels` (a sorted tuple), negatives not yet floored."""
    size = len(channels)
    values = {}
    for channel in channels:
        others = [other for other in channels if other != channel]
        total = 0.0
        for subset_size in range(size):
            weight = factorial(subset_size) * factorial(size - subset_size - 1) / factorial(size)
            for subset in combinations(others, subset_size):
                with_channel = tuple(sorted((*subset, channel)))
                total += weight * (worths.get(with_channel, 0.0) - worths.get(subset, 0.0))
        values[channel] = total
    return values


def shapley_credits(journeys: pd.DataFrame) -> pd.DataFrame:
    """Each conversion split over its journey's channels in proportion to `max(phi_c, 0)`."""
    worths = coalition_worths(journeys)
    worths.pop((), None)  # v(empty set) = 0 by definition
    sets = journey_channel_sets(journeys)
    converting_sets = sets.loc[sets["is_conversion"], "channel_set"].unique()
    phi = {
        channel_set: shapley_values(tuple(channel_set), worths) for channel_set in converting_sets
    }
    # one weight per (channel set, channel): a small table joined to the journey rows
    phi_table = pd.DataFrame(
        [
            {"channel_set": channel_set, "channel": channel, "weight": max(value, 0.0)}
            for channel_set, values in phi.items()
            for channel, value in values.items()
        ],
        columns=["channel_set", "channel", "weight"],
    )
    rows = pd.DataFrame(
        {
            "channel_set": journeys["journey_id"].map(sets["channel_set"]),
            "channel": journeys["channel"],
        },
        index=journeys.index,
    )
    weights = rows.merge(phi_table, on=["channel_set", "channel"], how="left")["weight"]
    weights.index = journeys.index
    return split_channel_shares(journeys, weights, MODEL)
