"""The predictive model: calibrated gradient boosted trees, or a fallback below the minimum data.

Pure functions over a TrainingSet: no warehouse, no files. Time-based validation: the trees
learn on the earlier cutoffs, the calibration on the second-latest, and every reported figure
comes from the latest cutoff, which neither saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, cast

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from orchestration.predictive.dataset import CATEGORY_FEATURES, TrainingSet, without_features
from orchestration.predictive.metrics import probability_metrics, ranking_auc

LIGHTGBM = "lightgbm"
LOGISTIC_BASELINE = "logistic_baseline"
RULES_ONLY = "rules_only"
RULE_SCORE_FEATURE = "rule_total_score"


@dataclass(frozen=True)
class ModelConfig:
    """How to train: horizon, minimum data, sales capacity, seed and the trees' parameters."""

    horizon_days: int = 90
    min_conversions: int = 120
    sales_capacity: int = 100
    seed: int = 42
    excluded_features: tuple[str, ...] = ()
    lightgbm_params: dict[str, Any] = field(
        default_factory=lambda: {
            # small, heavily regularized trees: a few thousand leads per cutoff, few conversions
            "n_estimators": 400,
            "learning_rate": 0.02,
            "num_leaves": 4,
            "min_child_samples": 100,
            "colsample_bytree": 0.5,
            "reg_lambda": 10.0,
        }
    )


@dataclass
class TrainedModel:
    """What scoring needs (estimators, columns, categories) and what training measured."""

    kind: str
    model_version: str
    is_trusted: bool
    reason: str
    feature_names: list[str]
    categories: dict[str, list[str]]
    metrics: dict[str, Any]
    trees: lgb.LGBMClassifier | None = None
    calibrator: CalibratedClassifierCV | None = None
    scaler: StandardScaler | None = None
    logistic: LogisticRegression | None = None

    def design(self, features: pd.DataFrame) -> pd.DataFrame:
        """The model's columns in its order; categories fixed at training (unknown -> NaN)."""
        frame = features.reindex(columns=self.feature_names)
        for name, values in self.categories.items():
            frame[name] = pd.Categorical(frame[name], categories=values)
        return frame

    def raw_scores_and_contributions(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The raw score (log-odds) per lead and each feature's exact share of it.

        Trees: LightGBM's `pred_contrib` (TreeSHAP), whose columns are the features then the
        expected value; a row sums to the raw score. Logistic: coefficient × standardized value,
        plus the intercept as the last column. Either way `contributions.sum(1) == raw`.
        """
        design = self.design(features)
        if self.kind == LIGHTGBM:
            assert self.trees is not None
            contributions = np.asarray(self.trees.predict(design, pred_contrib=True))
            raw = np.asarray(self.trees.predict(design, raw_score=True))
            return raw, contributions
        assert self.scaler is not None and self.logistic is not None
        scaled = self.scaler.transform(_numeric(design))
        terms = scaled * self.logistic.coef_[0]
        contributions = np.column_stack([terms, np.full(len(design), self.logistic.intercept_[0])])
        return contributions.sum(axis=1), contributions

    def probabilities(self, features: pd.DataFrame) -> np.ndarray:
        """The calibrated probability of converting within the horizon."""
        design = self.design(features)
        if self.kind == LIGHTGBM:
            assert self.calibrator is not None
            return np.asarray(self.calibrator.predict_proba(design)[:, 1])
        assert self.scaler is not None and self.logistic is not None
        return np.asarray(
            self.logistic.predict_proba(self.scaler.transform(_numeric(design)))[:, 1]
        )


def _numeric(design: pd.DataFrame) -> np.ndarray:
    return cast(np.ndarray, design.fillna(0.0).to_numpy(dtype="float64"))  # pandas: untyped


def model_version(training: TrainingSet, config: ModelConfig) -> str:
    """SHA-256 of the training data and every parameter: same inputs, same version."""
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(training.features, index=True).to_numpy().tobytes())
    digest.update(pd.util.hash_pandas_object(training.labels, index=True).to_numpy().tobytes())
    digest.update(json.dumps(config.__dict__, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:12]


def train(training: TrainingSet, config: ModelConfig) -> TrainedModel:
    """Trees when the data allows it (enough conversions and three cutoffs), else a fallback."""
    training = without_features(training, config.excluded_features)
    version = model_version(training, config)
    conversions = training.converting_leads
    outcomes = set(training.labels.unique().tolist())
    if outcomes != {0, 1}:
        return _rules_only(
            training, version, f"only one outcome in the training set ({conversions} conversions)"
        )
    if conversions < config.min_conversions:
        return _logistic_baseline(
            training, config, version,
            f"{conversions} conversions, fewer than the minimum of {config.min_conversions}",
        )  # fmt: skip
    if len(training.cutoffs) < 3:
        return _logistic_baseline(
            training, config, version,
            f"{len(training.cutoffs)} cutoffs: the trees need three (train, calibrate, validate)",
        )  # fmt: skip
    return _lightgbm(training, config, version)


def _split(training: TrainingSet, part: str) -> tuple[pd.DataFrame, pd.Series]:
    cutoffs = training.cutoffs
    wanted = {
        "train": cutoffs[:-2],
        "calibrate": cutoffs[-2:-1],
        "validate": cutoffs[-1:],
        "earlier": cutoffs[:-1] if len(cutoffs) > 1 else cutoffs,
    }[part]
    mask = training.features.index.get_level_values("cutoff").isin(wanted)
    return training.features[mask], training.labels[mask]


def _categories(features: pd.DataFrame) -> dict[str, list[str]]:
    return {
        name: sorted(features[name].dropna().astype(str).unique().tolist())
        for name in CATEGORY_FEATURES
        if name in features.columns
    }


def _lightgbm(training: TrainingSet, config: ModelConfig, version: str) -> TrainedModel:
    features = training.features
    model = TrainedModel(
        kind=LIGHTGBM, model_version=version, is_trusted=True,
        reason=f"{training.converting_leads} conversions (minimum {config.min_conversions})",
        feature_names=list(features.columns), categories=_categories(features), metrics={},
    )  # fmt: skip
    train_x, train_y = _split(training, "train")
    calibrate_x, calibrate_y = _split(training, "calibrate")
    trees = lgb.LGBMClassifier(
        **config.lightgbm_params,
        random_state=config.seed,
        deterministic=True,
        force_row_wise=True,
        n_jobs=1,  # deterministic, and the machine is shared
        verbose=-1,
    )
    trees.fit(model.design(train_x), train_y)
    # cv="prefit" is gone from scikit-learn 1.6+: a frozen estimator is calibrated as is
    calibrator = CalibratedClassifierCV(FrozenEstimator(trees), method="sigmoid")
    calibrator.fit(model.design(calibrate_x), calibrate_y)
    model.trees, model.calibrator = trees, calibrator
    model.metrics = _validation_metrics(model, training, config)
    return model


def _logistic_baseline(
    training: TrainingSet, config: ModelConfig, version: str, reason: str
) -> TrainedModel:
    """A regularized logistic model on the rule score's parts: few parameters, few conversions."""
    rule_columns = [name for name in training.features.columns if name.startswith("rule_")]
    model = TrainedModel(
        kind=LOGISTIC_BASELINE, model_version=version, is_trusted=False,
        reason=f"fallback: {reason}", feature_names=rule_columns, categories={}, metrics={},
    )  # fmt: skip
    train_x, train_y = _split(training, "earlier")
    if set(train_y.unique().tolist()) != {0, 1}:
        train_x, train_y = training.features, training.labels
    model.scaler = StandardScaler().fit(_numeric(model.design(train_x)))
    model.logistic = LogisticRegression(C=0.5, max_iter=1000, random_state=config.seed)
    model.logistic.fit(model.scaler.transform(_numeric(model.design(train_x))), train_y)
    model.metrics = _validation_metrics(model, training, config)
    return model


def _rules_only(training: TrainingSet, version: str, reason: str) -> TrainedModel:
    return TrainedModel(
        kind=RULES_ONLY, model_version="rules-only", is_trusted=False,
        reason=f"fallback to the rule score: {reason}", feature_names=[], categories={},
        metrics={"leads": len(training.labels), "conversions": int(training.labels.sum())},
    )  # fmt: skip


def _validation_metrics(
    model: TrainedModel, training: TrainingSet, config: ModelConfig
) -> dict[str, Any]:
    """The model's figures on the latest cutoff, beside the rule score's ROC AUC there."""
    valid_x, valid_y = _split(training, "validate")
    labels = valid_y.to_numpy()
    probabilities = model.probabilities(valid_x)
    metrics = probability_metrics(labels, probabilities, config.sales_capacity)
    if RULE_SCORE_FEATURE in valid_x.columns:
        metrics["rule_score_roc_auc"] = ranking_auc(labels, valid_x[RULE_SCORE_FEATURE].to_numpy())
    metrics["validation_cutoff"] = str(training.cutoffs[-1].date())
    metrics["training_rows"] = len(training.labels)
    metrics["training_conversions"] = training.converting_leads
    return metrics


def validation_predictions(model: TrainedModel, training: TrainingSet) -> pd.DataFrame:
    """The latest cutoff's leads with label, probability and rule score (for the bias audit)."""
    valid_x, valid_y = _split(training, "validate")
    frame = pd.DataFrame(index=valid_x.index)
    frame["converted"] = valid_y
    frame["conversion_probability"] = (
        model.probabilities(valid_x) if model.kind != RULES_ONLY else np.nan
    )
    frame["rule_total_score"] = valid_x.get(
        RULE_SCORE_FEATURE, pd.Series(np.nan, index=valid_x.index)
    )
    return frame
