"""The one Definitions of leadscore: what `dagster dev`, the schedule and the CLI all load."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtProject

from ingestion.sources import CHANNEL_SOURCES
from orchestration.assets.exports import build_exports_asset
from orchestration.assets.fuzzy_matches import fuzzy_matches
from orchestration.assets.identity_rules import identity_rules
from orchestration.assets.ingestion import channel_assets
from orchestration.assets.predictive import lead_predictions, model_training
from orchestration.assets.scoring_rules import scoring_rules
from orchestration.assets.transformation import build_dbt_assets
from orchestration.checks.identity import identity_cluster_sizes
from orchestration.dbt_manifest import MANIFEST_PATH, prepare_dbt_manifest
from orchestration.resources import build_resources
from orchestration.schedules import (
    nightly_job,
    nightly_schedule,
    training_job,
    training_schedule,
)
from orchestration.settings import (
    DBT_PROJECT_DIR,
    Settings,
    configure_library_environment,
    load_settings,
)


def build_definitions(settings: Settings, as_of: str = "") -> dg.Definitions:
    """Assets, checks, job, schedule and resources for the given settings.

    `as_of` (YYYY-MM-DD) scores as if it were that day; empty means today (UTC).
    """
    configure_library_environment()
    # Under `dagster dev` re-parse on every load, so dbt edits show up (dagster-dbt's own
    # prepare_if_dev would look for `dbt` on PATH, which an unactivated venv lacks).
    if settings.is_dagster_dev or not MANIFEST_PATH.exists():
        prepare_dbt_manifest()
    ingestion = [
        channel_assets(channel, make_source, settings)
        for channel, make_source in CHANNEL_SOURCES.items()
    ]
    dbt_models = build_dbt_assets(DbtProject(project_dir=DBT_PROJECT_DIR))
    marts = sorted(key for assets in dbt_models for key in assets.keys if key.path[0] == "marts")
    return dg.Definitions(
        assets=[
            *ingestion,
            scoring_rules,
            identity_rules,
            fuzzy_matches,
            *dbt_models,
            model_training,
            lead_predictions,
            build_exports_asset(marts),
        ],
        asset_checks=[identity_cluster_sizes],
        jobs=[nightly_job, training_job],
        schedules=[nightly_schedule(settings), training_schedule(settings)],
        resources=build_resources(settings, as_of=as_of),
        # DuckDB has one writer per file: steps run one after another in one process.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Entry point for `dagster dev -m orchestration.definitions` (settings from the env)."""
    return build_definitions(load_settings())
