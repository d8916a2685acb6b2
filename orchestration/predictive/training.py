"""Training and scoring against a warehouse: replay, fit, audit, save; then score today's leads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from orchestration.predictive.bias import audit_as_records, bias_audit
from orchestration.predictive.dataset import (
    COUNT_PREFIXES,
    TrainingSet,
    build_training_set,
    feature_matrix,
)
from orchestration.predictive.model import (
    RULES_ONLY,
    ModelConfig,
    TrainedModel,
    train,
    validation_predictions,
)
from orchestration.predictive.reasons import top_reasons
from orchestration.predictive.replay import monthly_cutoffs, replay_features, scratch_copy
from orchestration.predictive.store import models_dir, save_model

PROFILES_SQL = """
select lead_id, converted_at, first_seen_at, country, industry, employee_count
from marts.lead_profiles
"""

MODEL_METRICS_COLUMNS = {
    "model_version": "varchar",
    "trained_at": "timestamp",
    "as_of": "date",
    "cutoffs": "varchar",
    "horizon_days": "integer",
    "model_kind": "varchar",
    "is_trusted": "boolean",
    "trust_reason": "varchar",
    "training_rows": "bigint",
    "conversions": "bigint",
    "validation_cutoff": "varchar",
    "validation_leads": "bigint",
    "validation_conversions": "bigint",
    "roc_auc": "double",
    "rule_score_roc_auc": "double",
    "pr_auc": "double",
    "brier": "double",
    "ece": "double",
    "top_decile_lift": "double",
    "sales_capacity": "integer",
    "precision_at_capacity": "double",
    "calibration_curve": "varchar",
    "excluded_features": "varchar",
}


@dataclass(frozen=True)
class TrainingPlan:
    """What to replay: how many cutoffs, how far apart, and the model's configuration."""

    cutoff_count: int
    spacing_days: int
    config: ModelConfig


@dataclass(frozen=True)
class TrainingOutcome:
    model: TrainedModel
    metadata: dict[str, Any]
    model_path: Path


def point_in_time_training_set(
    warehouse_path: Path, as_of: date, plan: TrainingPlan, lake_dir: Path | None = None
) -> tuple[TrainingSet, pd.DataFrame]:
    """Replay the features as of each cutoff (in a scratch copy, of the lake with the spark
    engine) and label them.

    Returns the training set and today's profile attributes (for the bias audit).
    """
    cutoffs = monthly_cutoffs(as_of, plan.config.horizon_days, plan.cutoff_count, plan.spacing_days)
    with scratch_copy(warehouse_path, lake_dir) as scratch:
        profiles = scratch.frame(PROFILES_SQL)
        first_seen = pd.to_datetime(profiles["first_seen_at"]).min()
        cutoffs = [
            c for c in cutoffs if pd.isna(first_seen) or pd.Timestamp(c) >= first_seen.normalize()
        ]
        long_features = replay_features(scratch, cutoffs)
    if long_features.empty:
        empty = pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["cutoff", "lead_id"]))
        return TrainingSet(empty, pd.Series([], index=empty.index, dtype=int), []), profiles
    training = build_training_set(
        long_features, profiles, plan.config.horizon_days, plan.config.excluded_features
    )
    return training, profiles


def train_and_save(
    warehouse_path: Path, as_of: date, plan: TrainingPlan, lake_dir: Path | None = None
) -> TrainingOutcome:
    """Build the training set, train (or fall back), audit for bias, save beside the warehouse."""
    training, profiles = point_in_time_training_set(warehouse_path, as_of, plan, lake_dir)
    model = train(training, plan.config)
    metadata: dict[str, Any] = {
        "model_version": model.model_version,
        "model_kind": model.kind,
        "is_trusted": model.is_trusted,
        "trust_reason": model.reason,
        "as_of": as_of.isoformat(),
        "cutoffs": [str(c.date()) for c in training.cutoffs],
        "horizon_days": plan.config.horizon_days,
        "min_conversions": plan.config.min_conversions,
        "sales_capacity": plan.config.sales_capacity,
        "seed": plan.config.seed,
        "excluded_features": list(plan.config.excluded_features),
        "lightgbm_params": plan.config.lightgbm_params,
        "features": model.feature_names,
        "metrics": model.metrics,
        "bias_audit": {},
    }
    if model.kind != RULES_ONLY:
        predictions = validation_predictions(model, training)
        audited = training.features.loc[predictions.index]
        metadata["bias_audit"] = audit_as_records(bias_audit(predictions, audited, profiles))
    path = save_model(models_dir(warehouse_path), model, metadata)
    return TrainingOutcome(model, metadata, path)


def write_model_metrics(
    connection: duckdb.DuckDBPyConnection, metadata: dict[str, Any], trained_at: datetime
) -> None:
    """One row per trained model in marts.model_metrics (a retrain of a version replaces it)."""
    metrics = metadata["metrics"]
    row = {
        "model_version": metadata["model_version"],
        "trained_at": trained_at.astimezone(UTC).replace(tzinfo=None),
        "as_of": metadata["as_of"],
        "cutoffs": ",".join(metadata["cutoffs"]),
        "horizon_days": metadata["horizon_days"],
        "model_kind": metadata["model_kind"],
        "is_trusted": metadata["is_trusted"],
        "trust_reason": metadata["trust_reason"],
        "training_rows": metrics.get("training_rows"),
        "conversions": metrics.get("training_conversions"),
        "validation_cutoff": metrics.get("validation_cutoff"),
        "validation_leads": metrics.get("leads"),
        "validation_conversions": metrics.get("conversions"),
        "roc_auc": metrics.get("roc_auc"),
        "rule_score_roc_auc": metrics.get("rule_score_roc_auc"),
        "pr_auc": metrics.get("pr_auc"),
        "brier": metrics.get("brier"),
        "ece": metrics.get("ece"),
        "top_decile_lift": metrics.get("top_decile_lift"),
        "sales_capacity": metadata["sales_capacity"],
        "precision_at_capacity": metrics.get("precision_at_capacity"),
        "calibration_curve": json.dumps(metrics.get("calibration_curve", [])),
        "excluded_features": ",".join(metadata["excluded_features"]),
    }
    row = {
        key: (None if isinstance(value, float) and np.isnan(value) else value)
        for key, value in row.items()
    }
    columns = ", ".join(f'"{name}" {kind}' for name, kind in MODEL_METRICS_COLUMNS.items())
    placeholders = ", ".join("?" for _ in MODEL_METRICS_COLUMNS)
    connection.execute("create schema if not exists marts")
    connection.execute(f"create table if not exists marts.model_metrics ({columns})")
    connection.execute("begin")
    connection.execute(
        "delete from marts.model_metrics where model_version = ?", [row["model_version"]]
    )
    connection.execute(
        f"insert into marts.model_metrics values ({placeholders})",  # noqa: S608 - fixed columns
        [row[name] for name in MODEL_METRICS_COLUMNS],
    )
    connection.execute("commit")


LEAD_FEATURES_SQL = """
select lead_id, feature, numeric_value, text_value, is_converted_at_as_of
from marts.lead_features
"""
LEADS_SQL = "select lead_id from marts.lead_profiles order by lead_id"


def predict_leads(
    connection: duckdb.DuckDBPyConnection, model: TrainedModel, as_of: date
) -> pd.DataFrame:
    """Every lead's probability, raw score and reasons as of `as_of` (lead_predictions rows)."""
    leads = connection.execute(LEADS_SQL).df()
    long_features = connection.execute(LEAD_FEATURES_SQL).df().assign(cutoff=pd.Timestamp(as_of))
    frame = pd.DataFrame(
        {
            "lead_id": leads["lead_id"],
            "as_of": pd.Timestamp(as_of) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1),
            "model_version": model.model_version,
            "model_kind": model.kind,
            "is_trusted": model.is_trusted,
        }
    )
    if model.kind == RULES_ONLY or long_features.empty:
        return frame.assign(
            conversion_probability=np.nan, raw_score=np.nan, reasons_up="[]", reasons_down="[]"
        )
    features = feature_matrix(long_features, columns=model.feature_names)
    features = features.droplevel("cutoff").reindex(frame["lead_id"])
    counts = [name for name in features.columns if name.startswith(COUNT_PREFIXES)]
    features[counts] = features[counts].fillna(0.0)  # a lead without features has none of them
    raw, ups, downs = top_reasons(model, features)
    return frame.assign(
        conversion_probability=model.probabilities(features),
        raw_score=raw,
        reasons_up=ups,
        reasons_down=downs,
    )


def write_predictions(connection: duckdb.DuckDBPyConnection, predictions: pd.DataFrame) -> None:
    """Replace predictive.lead_predictions with `predictions`."""
    connection.register("new_predictions", predictions)
    connection.execute("create schema if not exists predictive")
    connection.execute(
        "create or replace table predictive.lead_predictions as select lead_id, "
        "cast(as_of as timestamp) as as_of, conversion_probability, raw_score, model_version, "
        "model_kind, is_trusted, reasons_up, reasons_down from new_predictions"
    )
    connection.unregister("new_predictions")
