"""The robust volume range and the population stability index, on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from quality.score_drift import (
    band_psi,
    binned_counts,
    decile_edges,
    population_stability_index,
    total_score_psi,
)
from quality.volume import volume_verdict


def test_a_tenth_of_the_usual_volume_is_outside_median_plus_minus_k_mad() -> None:
    # earlier loads: median 100, |x - 100| = 10 4 0 3 8 2 6 -> MAD 4; k = 5 -> 80..120
    verdict = volume_verdict(10, [90, 96, 100, 103, 108, 102, 94], 5, 5, 0.2)
    assert (verdict.median, verdict.mad, verdict.low, verdict.high) == (100, 4, 80, 120)
    assert verdict.is_outlier
    assert not volume_verdict(85, [90, 96, 100, 103, 108, 102, 94], 5, 5, 0.2).is_outlier


def test_one_wild_earlier_load_does_not_widen_the_range() -> None:
    # a standard deviation would be ~3,700 here; the MAD stays 4
    verdict = volume_verdict(10, [90, 96, 100, 103, 108, 102, 10_000], 5, 5, 0.2)
    assert verdict.mad == 6 and verdict.is_outlier


def test_identical_loads_keep_a_relative_band() -> None:
    verdict = volume_verdict(110, [100] * 6, 5, 5, 0.2)
    assert verdict.mad == 0 and (verdict.low, verdict.high) == (80, 120)
    assert not verdict.is_outlier


def test_too_few_earlier_loads_give_no_verdict() -> None:
    verdict = volume_verdict(1, [100, 100], 5, 5, 0.2)
    assert not verdict.has_verdict and not verdict.is_outlier


def test_psi_by_hand() -> None:
    # (0.3-0.5)ln(0.3/0.5) + (0.7-0.5)ln(0.7/0.5)
    expected = -0.2 * math.log(0.6) + 0.2 * math.log(1.4)
    assert population_stability_index([0.5, 0.5], [0.3, 0.7]) == pytest.approx(expected)
    assert population_stability_index([0.2, 0.8], [0.2, 0.8]) == 0


def test_band_psi_counts_the_band_mix() -> None:
    before = ["hot"] * 2 + ["warm"] * 3 + ["cold"] * 5
    after = ["hot"] * 5 + ["warm"] * 3 + ["cold"] * 2
    # cold 0.5 -> 0.2, hot 0.2 -> 0.5, warm unchanged
    expected = (0.2 - 0.5) * math.log(0.2 / 0.5) + (0.5 - 0.2) * math.log(0.5 / 0.2)
    assert band_psi(before, after) == pytest.approx(expected)


def test_total_psi_bins_by_the_previous_deciles_and_ties_collapse() -> None:
    previous = [0.0] * 50 + list(range(1, 51))
    edges = decile_edges(previous)
    assert edges[0] == 0.0 and len(edges) == len(set(edges))
    assert sum(binned_counts(previous, edges)) == 100
    assert total_score_psi(previous, previous) == 0
    assert total_score_psi(previous, [value + 40 for value in previous]) > 1
