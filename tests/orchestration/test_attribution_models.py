"""Markov and Shapley attribution (orchestration.attribution): hand-computed journeys, and a
brute-force second implementation (tests/attribution_reference.py) on generated journeys."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from attribution_reference import Journey
from attribution_reference import markov_credits as reference_markov
from attribution_reference import removal_effects as reference_removal_effects
from attribution_reference import shapley_credits as reference_shapley

from orchestration.attribution.models import attribute_journeys

CHANNELS = ("web", "email", "social", "event", "support", "direct_mail")


def journey_frame(journeys: list[Journey]) -> pd.DataFrame:
    rows = [
        {
            "journey_id": journey_id,
            "is_conversion": converted,
            "conversion_id": journey_id if converted else None,
            "lead_id": f"lead-{journey_id}",
            "touchpoint_id": touchpoint,
            "channel": channel,
            "touchpoint_rank": rank,
        }
        for journey_id, converted, touchpoints in journeys
        for rank, (touchpoint, channel) in enumerate(touchpoints, start=1)
    ]
    return pd.DataFrame(rows)


def credits_of(journeys: list[Journey], model: str) -> dict[tuple[str, str], float]:
    credits = attribute_journeys(journey_frame(journeys)).credits
    chosen = credits.loc[credits["model"] == model]
    keys = zip(chosen["conversion_id"], chosen["touchpoint_id"], strict=True)
    return dict(zip(keys, chosen["credit"], strict=True))


def effects_of(journeys: list[Journey]) -> dict[str, float]:
    effects = attribute_journeys(journey_frame(journeys)).removal_effects
    return dict(zip(effects["channel"], effects["removal_effect"], strict=True))


# Two channels. Paths: a web>email>conversion, b web>null, c email>conversion,
# d email>web>null (its second web collapsed). Transitions: start: web 1/2, email 1/2;
# web: email 1/3, null 2/3; email: conversion 2/3, web 1/3. Solving: P(email) = 3/4,
# P(web) = 1/4, P(conversion) = 1/2. Without email: 0 (RE 1); without web: email alone
# converts 2/3 of the time, P = 1/3 (RE 1/3).
TWO_CHANNELS: list[Journey] = [
    ("a", True, [("a1", "web"), ("a2", "email")]),
    ("b", False, [("b1", "web")]),
    ("c", True, [("c1", "email")]),
    ("d", False, [("d1", "email"), ("d2", "web"), ("d3", "web")]),
]


def test_two_channel_markov_removal_effects_by_hand() -> None:
    assert effects_of(TWO_CHANNELS) == pytest.approx({"email": 1.0, "web": 1 / 3}, abs=1e-12)
    # a: email 1 / (1 + 1/3) = 3/4, web 1/4; c: email alone
    assert credits_of(TWO_CHANNELS, "markov") == pytest.approx(
        {("a", "a1"): 0.25, ("a", "a2"): 0.75, ("c", "c1"): 1.0}, abs=1e-12
    )


def test_shapley_by_hand_floors_a_negative_value() -> None:
    # v({email, web}) = 1/2 (a converts, d not), v({email}) = 1 (c), v({web}) = 0 (b).
    # a: phi_email = 1/2 (1 - 0) + 1/2 (1/2 - 0) = 3/4; phi_web = 1/2 (0) + 1/2 (1/2 - 1) < 0
    assert credits_of(TWO_CHANNELS, "shapley") == pytest.approx(
        {("a", "a1"): 0.0, ("a", "a2"): 1.0, ("c", "c1"): 1.0}, abs=1e-12
    )


def test_single_channel_journey_gets_the_whole_conversion() -> None:
    journeys: list[Journey] = [
        ("solo", True, [("s1", "email"), ("s2", "email"), ("s3", "email"), ("s4", "email")]),
        ("other", False, [("o1", "web"), ("o2", "email")]),
    ]
    for model in ("markov", "shapley"):
        assert credits_of(journeys, model) == pytest.approx(
            {("solo", f"s{n}"): 0.25 for n in range(1, 5)}, abs=1e-12
        ), model


def test_a_channel_splits_its_share_equally_over_its_touchpoints() -> None:
    journeys: list[Journey] = [
        ("x", True, [("x1", "web"), ("x2", "email"), ("x3", "web")]),
        ("y", False, [("y1", "web")]),
        ("z", False, [("z1", "email")]),
    ]
    # Shapley: v({web, email}) = 1 and the singletons 0: a half each, web's over 2 touchpoints
    assert credits_of(journeys, "shapley") == pytest.approx(
        {("x", "x1"): 0.25, ("x", "x2"): 0.5, ("x", "x3"): 0.25}, abs=1e-12
    )


def test_no_journeys_give_no_credits() -> None:
    empty = journey_frame([]).reindex(
        columns=["journey_id", "is_conversion", "conversion_id", "lead_id", "touchpoint_id",
                 "channel", "touchpoint_rank"]
    )  # fmt: skip
    result = attribute_journeys(empty)
    assert len(result.credits) == 0
    assert len(result.removal_effects) == 0


def generated_journeys(seed: int, count: int) -> list[Journey]:
    rng = random.Random(seed)
    journeys: list[Journey] = []
    for number in range(count):
        length = rng.randint(1, 7)
        channels = rng.sample(CHANNELS, rng.randint(1, 4))
        touchpoints = [(f"j{number}-t{rank}", rng.choice(channels)) for rank in range(length)]
        converted = rng.random() < 0.15 + 0.1 * ("email" in channels) + 0.1 * (length > 4)
        journeys.append((f"j{number}", converted, touchpoints))
    return journeys


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_markov_and_shapley_agree_with_brute_force(seed: int) -> None:
    journeys = generated_journeys(seed, 400)
    assert effects_of(journeys) == pytest.approx(reference_removal_effects(journeys), abs=1e-9)
    for model, reference in (("markov", reference_markov), ("shapley", reference_shapley)):
        ours = credits_of(journeys, model)
        expected = reference(journeys)
        assert ours.keys() == expected.keys(), model
        assert ours == pytest.approx(expected, abs=1e-9), model


def test_credits_sum_to_one_per_conversion_and_model() -> None:
    credits = attribute_journeys(journey_frame(generated_journeys(4, 300))).credits
    totals = credits.groupby(["conversion_id", "model"])["credit"].sum()
    assert len(totals) == 2 * sum(converted for _, converted, _ in generated_journeys(4, 300))
    assert totals.to_numpy() == pytest.approx(1.0, abs=1e-12)


def test_journeys_without_a_conversion_give_zero_effects_and_no_credits() -> None:
    journeys: list[Journey] = [("n1", False, [("n1a", "web")]), ("n2", False, [("n2a", "email")])]
    result = attribute_journeys(journey_frame(journeys))
    assert len(result.credits) == 0
    assert effects_of(journeys) == {"email": 0.0, "web": 0.0}
