"""The nightly job and its schedule."""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings

NIGHTLY_JOB_NAME = "nightly_scoring"

# Every asset, every check: ingest all channels, rebuild the models, score.
nightly_job = dg.define_asset_job(
    name=NIGHTLY_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Load every channel, rebuild the models and scores, run every check.",
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
