"""A second, deliberately plain implementation of the contract's attribution readings, for
tests to compare with: dictionaries and loops, no pandas, no linear algebra.

A journey here is `(journey_id, is_conversion, [(touchpoint_id, channel), ...])` with the
touchpoints already in journey order.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import permutations
from math import factorial

Journey = tuple[str, bool, list[tuple[str, str]]]

START, CONVERSION, NULL = "start", "conversion", "null"


def collapsed_path(touchpoints: list[tuple[str, str]]) -> list[str]:
    path: list[str] = []
    for _, channel in touchpoints:
        if not path or path[-1] != channel:
            path.append(channel)
    return path


def conversion_probability(journeys: list[Journey], removed: str | None = None) -> float:
    """Absorption in conversion from start, by iterating the chain until it settles."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, converted, touchpoints in journeys:
        states = [START, *collapsed_path(touchpoints), CONVERSION if converted else NULL]
        for here, there in zip(states, states[1:], strict=False):
            counts[here][there] += 1
    value = defaultdict(float, {CONVERSION: 1.0})
    for _ in range(5000):  # the chain is tiny: this converges far below 1e-12
        new = defaultdict(float, {CONVERSION: 1.0})
        for state, targets in counts.items():
            if state == removed:
                continue
            total = sum(targets.values())
            new[state] = sum(
                n / total * (0.0 if target == removed else value[target])
                for target, n in targets.items()
            )
        value = new
    return value[START]


def removal_effects(journeys: list[Journey]) -> dict[str, float]:
    full = conversion_probability(journeys)
    channels = {channel for _, _, tps in journeys for _, channel in tps}
    return {c: 1 - conversion_probability(journeys, c) / full for c in sorted(channels)}


def shapley_channel_values(journeys: list[Journey], channels: list[str]) -> dict[str, float]:
    """Average marginal worth over every ordering of the channels (the textbook definition)."""
    seen: dict[frozenset[str], list[int]] = defaultdict(lambda: [0, 0])
    for _, converted, touchpoints in journeys:
        key = frozenset(channel for _, channel in touchpoints)
        seen[key][0] += int(converted)
        seen[key][1] += 1

    def worth(coalition: frozenset[str]) -> float:
        if not coalition or coalition not in seen:
            return 0.0
        conversions, total = seen[coalition]
        return conversions / total

    values = dict.fromkeys(channels, 0.0)
    for order in permutations(channels):
        members: frozenset[str] = frozenset()
        for channel in order:
            values[channel] += worth(members | {channel}) - worth(members)
            members = members | {channel}
    return {channel: value / factorial(len(channels)) for channel, value in values.items()}


def split(touchpoints: list[tuple[str, str]], weights: dict[str, float]) -> dict[str, float]:
    """Channel shares by weight (equal when all 0), then equally over a channel's touchpoints."""
    channels = sorted({channel for _, channel in touchpoints})
    total = sum(weights[channel] for channel in channels)
    shares = {
        channel: (weights[channel] / total if total > 0 else 1 / len(channels))
        for channel in channels
    }
    per_channel = defaultdict(int)
    for _, channel in touchpoints:
        per_channel[channel] += 1
    return {tp: shares[channel] / per_channel[channel] for tp, channel in touchpoints}


def markov_credits(journeys: list[Journey]) -> dict[tuple[str, str], float]:
    effects = removal_effects(journeys)
    credits = {}
    for journey_id, converted, touchpoints in journeys:
        if converted:
            for tp, credit in split(touchpoints, effects).items():
                credits[(journey_id, tp)] = credit
    return credits


def shapley_credits(journeys: list[Journey]) -> dict[tuple[str, str], float]:
    credits = {}
    for journey_id, converted, touchpoints in journeys:
        if not converted:
            continue
        channels = sorted({channel for _, channel in touchpoints})
        values = shapley_channel_values(journeys, channels)
        floored = {channel: max(value, 0.0) for channel, value in values.items()}
        for tp, credit in split(touchpoints, floored).items():
            credits[(journey_id, tp)] = credit
    return credits
