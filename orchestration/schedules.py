"""The nightly job and its schedule."""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings

NIGHTLY_JOB_NAME = "nightly_scoring"
TRAINING_JOB_NAME = "weekly_model_training"
MODEL_TRAINING_KEY = dg.AssetKey(["marts", "model_metrics"])

# Every asset, every check but the model's training: ingest, rebuild the models, score.
nightly_job = dg.define_asset_job(
    name=NIGHTLY_JOB_NAME,
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(MODEL_TRAINING_KEY),
    description="Load every channel, rebuild the models and scores, run every check.",
)

training_job = dg.define_asset_job(
    name=TRAINING_JOB_NAME,
    selection=dg.AssetSelection.assets(MODEL_TRAINING_KEY),
    description="Retrain the conversion model on the replayed history (marts.model_metrics).",
)


def nightly_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """Runs the nightly job at LEADSCORE_SCHEDULE_CRON (02:00 UTC by default)."""
    return dg.ScheduleDefinition(
        name="nightly_scoring_schedule",
        job=nightly_job,
        cron_schedule=settings.schedule_cron,
        execution_timezone=settings.schedule_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Scores every lead once a night, after the day's files have landed.",
    )


def training_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """Retrains the model at LEADSCORE_TRAINING_CRON (Sundays 03:00 UTC by default)."""
    return dg.ScheduleDefinition(
        name="weekly_model_training_schedule",
        job=training_job,
        cron_schedule=settings.model.training_cron,
        execution_timezone=settings.schedule_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Retrains the conversion model once a week, after the nightly run.",
    )
