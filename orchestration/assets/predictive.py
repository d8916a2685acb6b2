"""The predictive model's assets: weekly training (marts.model_metrics + the saved model) and
nightly scoring (predictive.lead_predictions, which marts.lead_scores joins)."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.micro_batches import MICRO_BATCH_KIND, RUN_KIND_TAG
from orchestration.predictive.model import RULES_ONLY, ModelConfig, TrainedModel
from orchestration.predictive.store import load_current_model, models_dir
from orchestration.predictive.training import (
    TrainingOutcome,
    TrainingPlan,
    predict_leads,
    train_and_save,
    write_model_metrics,
    write_predictions,
)
from orchestration.resources import ModelResource, ScoringResource, WarehouseResource

MODEL_METRICS_KEY = dg.AssetKey(["marts", "model_metrics"])
LEAD_PREDICTIONS_KEY = dg.AssetKey(["predictive", "lead_predictions"])
LEAD_FEATURES_KEY = dg.AssetKey(["marts", "lead_features"])
OWNERS = ["team:data-science"]


def training_plan(model: ModelResource) -> TrainingPlan:
    return TrainingPlan(
        cutoff_count=model.cutoffs,
        spacing_days=model.cutoff_spacing_days,
        config=ModelConfig(
            horizon_days=model.horizon_days,
            min_conversions=model.min_conversions,
            sales_capacity=model.sales_capacity,
            excluded_features=tuple(model.excluded_features),
        ),
    )


def _train(warehouse: WarehouseResource, as_of: date, model: ModelResource) -> TrainingOutcome:
    outcome = train_and_save(Path(warehouse.path), as_of, training_plan(model), warehouse.lake)
    with warehouse.connect() as connection:
        write_model_metrics(connection, outcome.metadata, datetime.now(tz=UTC))
    return outcome


def _training_metadata(outcome: TrainingOutcome) -> dict[str, Any]:
    metrics = outcome.metadata["metrics"]
    numbers = {
        key: float(metrics[key])
        for key in ("roc_auc", "rule_score_roc_auc", "pr_auc", "brier", "ece", "top_decile_lift",
                    "precision_at_capacity")
        if metrics.get(key) is not None
    }  # fmt: skip
    return {
        "model_version": outcome.metadata["model_version"],
        "model_kind": outcome.metadata["model_kind"],
        "is_trusted": outcome.metadata["is_trusted"],
        "trust_reason": outcome.metadata["trust_reason"],
        "cutoffs": ", ".join(outcome.metadata["cutoffs"]),
        "model_path": dg.MetadataValue.path(str(outcome.model_path)),
        **numbers,
        "calibration_curve": dg.MetadataValue.json(metrics.get("calibration_curve", [])),
        "bias_audit": dg.MetadataValue.json(outcome.metadata["bias_audit"]),
    }


@dg.asset(
    key=MODEL_METRICS_KEY,
    group_name="predictive",
    deps=[LEAD_FEATURES_KEY],
    description="Trains the conversion model: replays lead_features as of monthly cutoffs, "
    "labels each lead by conversion within the horizon, fits calibrated LightGBM (or a "
    "fallback below the minimum of conversions), audits it for bias, saves it beside the "
    "warehouse and appends its out-of-time figures to marts.model_metrics. Weekly.",
    owners=OWNERS,
    kinds={"lightgbm", "duckdb"},
    pool="duckdb",
)
def model_training(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    scoring: ScoringResource,
    model: ModelResource,
) -> dg.MaterializeResult[Any]:
    outcome = _train(warehouse, scoring.as_of_date(), model)
    context.log.info(
        f"trained {outcome.metadata['model_kind']} {outcome.metadata['model_version']}"
    )
    return dg.MaterializeResult(metadata=_training_metadata(outcome))


@dg.asset(
    key=LEAD_PREDICTIONS_KEY,
    group_name="predictive",
    deps=[LEAD_FEATURES_KEY],
    description="Scores every lead with the current model: calibrated conversion probability, "
    "raw score and the three features pushing it up and down (exact contributions). When no "
    "model was trained yet, trains one first. marts.lead_scores joins the result.",
    owners=OWNERS,
    kinds={"lightgbm", "duckdb"},
    pool="duckdb",
)
def lead_predictions(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    scoring: ScoringResource,
    model: ModelResource,
) -> dg.MaterializeResult[Any]:
    as_of = scoring.as_of_date()
    current: TrainedModel | None = load_current_model(models_dir(Path(warehouse.path)))
    # no model yet, or only the rule score for lack of history: (re)train before scoring;
    # a micro-batch retrains only without any model (a day's new events add no history, and
    # training replays the features with four dbt runs: minutes under load)
    in_micro_batch = context.run.tags.get(RUN_KIND_TAG) == MICRO_BATCH_KIND
    trained_now = current is None or (current.kind == RULES_ONLY and not in_micro_batch)
    if trained_now:
        context.log.info("no trained model yet: training one before scoring")
        current = _train(warehouse, as_of, model).model
    assert current is not None, "training always leaves a model"
    with warehouse.connect() as connection:
        predictions = predict_leads(connection, current, as_of)
        write_predictions(connection, predictions)
    scored = int(predictions["conversion_probability"].notna().sum())
    return dg.MaterializeResult(
        metadata={
            "model_version": current.model_version,
            "model_kind": current.kind,
            "is_trusted": current.is_trusted,
            "trust_reason": current.reason,
            "trained_in_this_run": trained_now,
            "leads": len(predictions),
            "leads_with_probability": scored,
        }
    )
