"""First-order Markov removal effects, solved exactly as an absorbing chain.

One path per journey (converting and non-converting): its channels in journey order with
consecutive repeats collapsed, from `start` to `conversion` or `null`. Transition
probabilities come from every path's transitions. `P(conversion)` is the absorption
probability from `start`; removing channel `c` sends every transition into `c` to `null`;
`RE_c = 1 - P(conversion | c removed) / P(conversion)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.attribution.journeys import split_channel_shares

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
MODEL = "markov"


@dataclass(frozen=True)
class RemovalEffect:
    channel: str
    removal_effect: float
    conversion_probability_without: float  # P(conversion | channel removed)
    conversion_probability: float  # P(conversion) of the full chain


def path_transitions(journeys: pd.DataFrame) -> pd.DataFrame:
    """Transition counts `from_state, to_state, journeys` over every journey's collapsed path."""
    previous = journeys.groupby("journey_id")["channel"].shift()
    steps = journeys.loc[previous.ne(journeys["channel"]), ["journey_id", "channel"]]
    from_state = steps.groupby("journey_id")["channel"].shift().fillna(START)
    inner = pd.DataFrame({"from_state": from_state, "to_state": steps["channel"]})
    last = steps.groupby("journey_id", sort=False).tail(1)
    outcome = journeys.groupby("journey_id")["is_conversion"].first()
    ends = pd.DataFrame(
        {
            "from_state": last["channel"].to_numpy(),
            "to_state": np.where(outcome.loc[last["journey_id"]].to_numpy(), CONVERSION, NULL),
        }
    )
    transitions = pd.concat([inner, ends], ignore_index=True)
    return (
        transitions.groupby(["from_state", "to_state"], sort=True)
        .size()
        .rename("journeys")
        .reset_index()
    )


def conversion_probability(
    transitions: pd.DataFrame, channels: list[str], removed: str | None = None
) -> float:
    """Absorption probability in `conversion` from `start`, with `removed` sent to null."""
    transient = [START, *channels]
    index = {state: number for number, state in enumerate(transient)}
    size = len(transient)
    counts = np.zeros((size, size + 2))  # columns: transient states, conversion, null
    for row in transitions.itertuples(index=False):
        target = {CONVERSION: size, NULL: size + 1}.get(row.to_state, index.get(row.to_state))
        if row.to_state == removed:
            target = size + 1
        counts[index[row.from_state], target] += row.journeys
    if removed is not None:
        counts[index[removed], :] = 0
        counts[index[removed], size + 1] = 1  # unreachable now; absorbed so I - Q stays regular
    totals = counts.sum(axis=1, keepdims=True)
    probabilities = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    # a state with no way out (never seen leaving) is absorbed in null
    probabilities[totals[:, 0] == 0, size + 1] = 1
    q, r = probabilities[:, :size], probabilities[:, size]
    absorbed = np.linalg.solve(np.eye(size) - q, r)
    return float(absorbed[index[START]])


def removal_effects(journeys: pd.DataFrame) -> list[RemovalEffect]:
    """`RE_c` of every channel seen in any journey, sorted by channel."""
    if journeys.empty:
        return []
    transitions = path_transitions(journeys)
    channels = sorted(journeys["channel"].unique())
    full = conversion_probability(transitions, channels)
    effects = []
    for channel in channels:
        without = conversion_probability(transitions, channels, removed=channel)
        effect = 1.0 - without / full if full > 0 else 0.0
        effects.append(RemovalEffect(channel, effect, without, full))
    return effects


def markov_credits(journeys: pd.DataFrame, effects: list[RemovalEffect]) -> pd.DataFrame:
    """Each conversion split over its journey's channels in proportion to `RE_c`."""
    by_channel = {effect.channel: effect.removal_effect for effect in effects}
    return split_channel_shares(journeys, journeys["channel"].map(by_channel).fillna(0.0), MODEL)
