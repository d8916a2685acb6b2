"""The model on a synthetic history: exact contributions, a stable version, the fallbacks."""

import json

import numpy as np
import pandas as pd
import pytest

from orchestration.predictive.dataset import TrainingSet
from orchestration.predictive.model import (
    LIGHTGBM,
    LOGISTIC_BASELINE,
    RULES_ONLY,
    ModelConfig,
    model_version,
    train,
)
from orchestration.predictive.reasons import describe_reason, top_reasons

CUTOFFS = [pd.Timestamp("2026-03-31"), pd.Timestamp("2026-04-30"), pd.Timestamp("2026-05-31")]
SMALL_TREES = {"n_estimators": 40, "learning_rate": 0.1, "num_leaves": 7, "min_child_samples": 10}


def synthetic_history(leads_per_cutoff: int = 1500, seed: int = 5) -> TrainingSet:
    """Conversions driven by pricing views and company size, as in the generator."""
    rng = np.random.default_rng(seed)
    frames, labels = [], []
    for cutoff in CUTOFFS:
        pricing = rng.poisson(1.0, leads_per_cutoff).astype(float)
        employees = rng.integers(5, 5000, leads_per_cutoff).astype(float)
        logit = -3.5 + 0.8 * pricing + 1.5 * ((employees >= 50) & (employees <= 1000))
        converted = rng.random(leads_per_cutoff) < 1 / (1 + np.exp(-logit))
        index = pd.MultiIndex.from_product(
            [[cutoff], [f"l{i}" for i in range(leads_per_cutoff)]], names=["cutoff", "lead_id"]
        )
        frames.append(
            pd.DataFrame(
                {
                    "activity_pricing_page_view_7d": pricing,
                    "country": rng.choice(["DE", "US", "FR"], leads_per_cutoff).astype(object),
                    "employee_count": employees,
                    "rule_total_score": 10 * pricing + rng.normal(0, 5, leads_per_cutoff),
                },
                index=index,
            )
        )
        labels.append(pd.Series(converted.astype(int), index=index))
    return TrainingSet(pd.concat(frames), pd.concat(labels), CUTOFFS)


@pytest.fixture(scope="module")
def history() -> TrainingSet:
    return synthetic_history()


def test_trees_are_trusted_calibrated_and_their_contributions_sum_to_the_raw_score(
    history: TrainingSet,
) -> None:
    model = train(history, ModelConfig(min_conversions=50, lightgbm_params=SMALL_TREES))
    assert model.kind == LIGHTGBM and model.is_trusted
    latest = history.features.loc[CUTOFFS[-1]]
    raw, contributions = model.raw_scores_and_contributions(latest)
    np.testing.assert_allclose(contributions.sum(axis=1), raw, atol=1e-9)
    assert contributions.shape == (len(latest), len(model.feature_names) + 1)
    probabilities = model.probabilities(latest)
    assert ((probabilities > 0) & (probabilities < 1)).all()
    # the signal is real: more pricing views, a higher probability on average
    assert probabilities[latest["activity_pricing_page_view_7d"].to_numpy() >= 3].mean() > (
        probabilities[latest["activity_pricing_page_view_7d"].to_numpy() == 0].mean()
    )
    # it also learned company size, which the (pricing-only) rule score ignores
    assert model.metrics["roc_auc"] > model.metrics["rule_score_roc_auc"] > 0.6
    assert model.metrics["validation_cutoff"] == "2026-05-31"


def test_reasons_are_the_largest_shares_in_words(history: TrainingSet) -> None:
    model = train(history, ModelConfig(min_conversions=50, lightgbm_params=SMALL_TREES))
    latest = history.features.loc[CUTOFFS[-1]].head(20)
    raw, ups, downs = top_reasons(model, latest)
    _, contributions = model.raw_scores_and_contributions(latest)
    for row in range(len(latest)):
        up, down = json.loads(ups[row]), json.loads(downs[row])
        shares = contributions[row, :-1]
        assert [r["contribution"] for r in up] == sorted(
            round(float(s), 4) for s in shares if s > 0
        )[::-1][:3]
        assert all(r["contribution"] < 0 for r in down)
    reason = {"feature": "activity_pricing_page_view_7d", "value": 3.0, "contribution": 0.1234}
    assert describe_reason(reason) == "pricing page view 3 times in 7 days: +0.12"


def test_version_is_a_hash_of_data_and_parameters(history: TrainingSet) -> None:
    config = ModelConfig(lightgbm_params=SMALL_TREES)
    assert model_version(history, config) == model_version(synthetic_history(), config)
    assert model_version(history, config) != model_version(history, ModelConfig(seed=7))
    assert model_version(history, config) != model_version(synthetic_history(seed=6), config)


def test_below_the_minimum_of_conversions_a_logistic_baseline_stands_in(
    history: TrainingSet,
) -> None:
    model = train(history, ModelConfig(min_conversions=10_000))
    assert model.kind == LOGISTIC_BASELINE and not model.is_trusted
    assert "fewer than the minimum of 10000" in model.reason
    assert model.feature_names == ["rule_total_score"]
    latest = history.features.loc[CUTOFFS[-1]]
    raw, contributions = model.raw_scores_and_contributions(latest)
    np.testing.assert_allclose(contributions.sum(axis=1), raw, atol=1e-9)
    np.testing.assert_allclose(model.probabilities(latest), 1 / (1 + np.exp(-raw)), atol=1e-9)


def test_without_any_conversion_only_the_rule_score_remains(history: TrainingSet) -> None:
    none_converted = TrainingSet(history.features, history.labels * 0, history.cutoffs)
    model = train(none_converted, ModelConfig())
    assert model.kind == RULES_ONLY and not model.is_trusted
    assert model.model_version == "rules-only"


def test_an_excluded_feature_is_never_used(history: TrainingSet) -> None:
    config = ModelConfig(
        min_conversions=50, lightgbm_params=SMALL_TREES, excluded_features=("employee_*",)
    )
    model = train(history, config)
    assert "employee_count" not in model.feature_names
    assert "country" in model.feature_names
