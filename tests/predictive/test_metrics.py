"""The model's figures against hand-computed cases."""

import numpy as np
import pytest

from orchestration.predictive.metrics import (
    calibration_curve,
    expected_calibration_error,
    precision_at_capacity,
    top_share_lift,
)


def test_expected_calibration_error_weighs_each_bin_by_its_share() -> None:
    # bin [0.1, 0.2): mean 0.15, rate 0/2; bin [0.8, 0.9): mean 0.85, rate 1/2
    labels = np.array([0, 0, 1, 0])
    probabilities = np.array([0.1, 0.2 - 1e-9, 0.8, 0.9 - 1e-9])
    assert expected_calibration_error(labels, probabilities) == pytest.approx(
        0.5 * 0.15 + 0.5 * abs(0.85 - 0.5)
    )


def test_a_probability_of_one_falls_in_the_last_bin() -> None:
    curve = calibration_curve(np.array([1, 1]), np.array([1.0, 0.95]))
    assert [(b.lower, b.leads, b.conversion_rate) for b in curve] == [(0.9, 2, 1.0)]


def test_top_decile_lift_and_precision_at_capacity() -> None:
    labels = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1] * 2)  # 4 of 20 convert: 20%
    scores = np.arange(20, dtype=float)[::-1]  # the first rows score highest
    # top 10% = the 2 best rows: labels 1, 0 -> 50% / 20% = 2.5
    assert top_share_lift(labels, scores) == pytest.approx(2.5)
    assert precision_at_capacity(labels, scores, capacity=4) == pytest.approx(0.25)
    assert precision_at_capacity(labels, scores, capacity=100) == pytest.approx(0.2)
