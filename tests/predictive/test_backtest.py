"""Backtest figures and the suggested points on hand-made replays."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orchestration.config.rules import load_rules
from orchestration.predictive.backtest import (
    band_change_share,
    evaluate,
    labelled,
    suggest_points,
    write_suggested_rules,
)
from orchestration.settings import DEFAULT_RULES_PATH

CUTOFF = pd.Timestamp("2026-06-30")


def test_labels_leave_out_unknown_and_converted_leads() -> None:
    scores = pd.DataFrame(
        {"lead_id": ["a", "b", "c", "d"], "total_score": [50.0, 10, 5, 0],
         "band": ["hot", "warm", "cold", "cold"], "cutoff": CUTOFF}
    )  # fmt: skip
    profiles = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d"],
            "first_seen_at": pd.to_datetime(
                ["2026-06-01", "2026-06-01", "2026-07-02", "2026-06-01"]
            ),
            "converted_at": pd.to_datetime(["2026-07-15", None, None, "2026-06-15"]),
        }
    )
    frame = labelled(scores, profiles, horizon_days=90)
    assert frame[["lead_id", "converted"]].values.tolist() == [["a", 1], ["b", 0]]


def test_figures_of_a_rule_set() -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    scored = pd.DataFrame(
        {
            "cutoff": CUTOFF,
            "lead_id": list("abcdef"),
            "total_score": [90.0, 80, 40, 30, 10, 0],
            "band": ["hot", "hot", "warm", "warm", "cold", "cold"],
            "converted": [1, 0, 1, 0, 0, 0],
        }
    )
    result = evaluate("x.yml", rules, scored, pd.DataFrame(), capacity=2)
    bands = result.bands.set_index("band")
    assert bands.loc["hot", "conversion_rate"] == 0.5
    assert bands.loc["cold", "conversions"] == 0
    assert result.hot_lift == pytest.approx(0.5 / (2 / 6))
    assert result.precision_at_capacity == 0.5
    # 2 converters x 4 others: a above all 4, c above d, e, f -> 7 of 8 pairs
    assert result.roc_auc == pytest.approx(7 / 8)
    other = scored.assign(band=["hot", "warm", "warm", "cold", "cold", "cold"])
    assert band_change_share(scored, other) == pytest.approx(2 / 6)


def test_suggested_points_follow_the_hits_that_convert(tmp_path: Path) -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    rng = np.random.default_rng(1)
    leads = [f"l{i}" for i in range(400)]
    demo = rng.poisson(0.5, 400)
    careers = rng.poisson(0.5, 400)
    converted = (rng.random(400) < 1 / (1 + np.exp(-(-2 + 1.5 * demo - 1.0 * careers)))).astype(int)
    hits = pd.DataFrame(
        [
            {"cutoff": CUTOFF, "lead_id": lead, "rule_id": rule, "hits": count}
            for lead, d, c in zip(leads, demo, careers, strict=True)
            for rule, count in (("demo_request", d), ("careers_page_view", c))
            if count
        ]
    )
    scored = pd.DataFrame({"cutoff": CUTOFF, "lead_id": leads, "converted": converted})
    result = evaluate("d.yml", rules, scored.assign(total_score=0.0, band="cold"), hits, 10)
    coefficients = suggest_points(result)
    assert coefficients["demo_request"] > 0 > coefficients["careers_page_view"]
    suggested = write_suggested_rules(DEFAULT_RULES_PATH, coefficients, rules, tmp_path / "s.yml")
    points = {rule.id: rule.points for rule in suggested.engagement}
    assert points["demo_request"] == max(abs(r.points) for r in (*rules.engagement, *rules.fit))
    assert points["careers_page_view"] < 0
    assert points["pricing_page_view"] == 0  # never hit: no evidence, no points
    assert all(float(p).is_integer() for p in points.values())
