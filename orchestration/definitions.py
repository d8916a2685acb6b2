"""The one Definitions of leadscore: what `dagster dev`, the schedule and the CLI all load."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtProject

from ingestion.sources import CHANNEL_SOURCES, CHANNELS
from orchestration.assets.attribution import markov_shapley
from orchestration.assets.config_tables import identity_rules, scoring_rules
from orchestration.assets.exports import build_exports_asset
from orchestration.assets.fuzzy_matches import fuzzy_matches
from orchestration.assets.ingestion import channel_assets
from orchestration.assets.predictive import MODEL_METRICS_KEY, lead_predictions, model_training
from orchestration.assets.report import build_report_asset
from orchestration.assets.score_actions import salesforce_writeback, score_webhooks
from orchestration.assets.transformation import build_dbt_assets
from orchestration.checks.freshness import build_source_checks
from orchestration.checks.identity import identity_cluster_sizes
from orchestration.checks.scores import SCORE_CHECKS
from orchestration.checks.suites import build_suite_checks
from orchestration.collector_job import build_collector_service_job
from orchestration.dbt_manifest import MANIFEST_PATH, prepare_dbt_manifest
from orchestration.micro_batches import build_landing_files_sensor, micro_batch_job
from orchestration.privacy.job import forget_person_job
from orchestration.resources import build_resources
from orchestration.schedules import (
    nightly_job,
    nightly_schedule,
    training_job,
    training_schedule,
)
from orchestration.sensors import SENSORS
from orchestration.settings import (
    DBT_PROJECT_DIR,
    Settings,
    configure_library_environment,
    load_settings,
)
from quality.suites import load_suites


def build_definitions(settings: Settings, as_of: str = "") -> dg.Definitions:
    """Assets, checks, job, schedule and resources for the given settings.

    `as_of` (YYYY-MM-DD) scores as if it were that day; empty means today (UTC).
    """
    configure_library_environment()
    # Under `dagster dev` re-parse on every load, so dbt edits show up (dagster-dbt's own
    # prepare_if_dev would look for `dbt` on PATH, which an unactivated venv lacks).
    if settings.is_dagster_dev or not MANIFEST_PATH.exists():
        prepare_dbt_manifest(target=settings.dbt_target)
    ingestion = [
        channel_assets(channel, make_source, settings)
        for channel, make_source in CHANNEL_SOURCES.items()
    ]
    dbt_models = build_dbt_assets(DbtProject(project_dir=DBT_PROJECT_DIR))
    # every marts table, the dbt ones and the model metrics the training asset appends to
    marts = sorted(
        [MODEL_METRICS_KEY]
        + [key for assets in dbt_models for key in assets.keys if key.path[0] == "marts"]
    )
    return dg.Definitions(
        assets=[
            *ingestion,
            scoring_rules,
            identity_rules,
            fuzzy_matches,
            markov_shapley,
            *dbt_models,
            model_training,
            lead_predictions,
            build_exports_asset(marts),
            build_report_asset(marts),
            score_webhooks,
            salesforce_writeback,
        ],
        asset_checks=[
            identity_cluster_sizes,
            *build_suite_checks(load_suites()),
            *build_source_checks(CHANNELS),
            *SCORE_CHECKS,
        ],
        jobs=[
            nightly_job,
            micro_batch_job,
            training_job,
            forget_person_job,
            build_collector_service_job(settings),
        ],
        schedules=[nightly_schedule(settings), training_schedule(settings)],
        sensors=[*SENSORS, build_landing_files_sensor(settings.landing_dir)],
        resources=build_resources(settings, as_of=as_of),
        # DuckDB has one writer per file: steps run one after another in one process.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Entry point for `dagster dev -m orchestration.definitions` (settings from the env)."""
    return build_definitions(load_settings())
