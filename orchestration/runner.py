"""Running the nightly job in-process: what `leadscore run` and the end-to-end tests call."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.alerts import Alert, record_and_send, run_alerts
from orchestration.assets.transformation import dbt_vars
from orchestration.dbt_manifest import prepare_dbt_manifest
from orchestration.definitions import build_definitions
from orchestration.micro_batches import MICRO_BATCH_JOB_NAME, micro_batch_asset_keys
from orchestration.resources import WarehouseResource, build_resources
from orchestration.schedules import NIGHTLY_JOB_NAME
from orchestration.settings import Settings


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse's write lock (DuckDB allows one writer)."""


def check_warehouse_writable(path: Path) -> None:
    """Fail fast, and clearly, when another process has the warehouse open.

    dlt and dbt do not retry a lock; without this a run fails step by step with connection
    errors. A killed run's dbt child can outlive it: kill a run's whole process group.
    """
    if not path.exists():
        return
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        raise WarehouseBusyError(
            f"the warehouse {path} is in use by another process; wait for it to finish or "
            f"stop it, then run again ({str(error).splitlines()[0]})"
        ) from None


def run_nightly(
    settings: Settings,
    as_of: str = "",
    instance: dg.DagsterInstance | None = None,
    loggers: dict[str, dg.LoggerDefinition] | None = None,
) -> dg.ExecuteInProcessResult:
    """Re-parse the dbt project, materialize every asset, run every check, send the alerts."""
    check_warehouse_writable(settings.warehouse_path)
    # a stale manifest breaks runs after any dbt edit; parsed with the run's vars, so the
    # run's first dbt invocation reuses the parse
    resources = build_resources(settings, as_of=as_of)
    prepare_dbt_manifest(
        dbt_vars(resources["scoring"], resources["warehouse"], resources["quality"]),
        settings.dbt_target,
    )
    job = build_definitions(settings, as_of=as_of).resolve_job_def(NIGHTLY_JOB_NAME)
    if loggers:
        job = job.with_logger_defs(loggers)
    instance = instance or dg.DagsterInstance.ephemeral()
    result = job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {name: {} for name in loggers}} if loggers else None,
    )
    send_run_alerts(settings, instance, result.run_id)
    return result


def send_run_alerts(settings: Settings, instance: dg.DagsterInstance, run_id: str) -> list[Alert]:
    """Record and POST the alerts of a finished in-process run (no daemon, so no sensor)."""
    alerts = run_alerts(instance, run_id)
    if not alerts:
        return []
    warehouse = build_resources(settings)["warehouse"]  # creates the file BI tools can read
    assert isinstance(warehouse, WarehouseResource)
    with warehouse.connect() as connection:
        return record_and_send(
            connection,
            alerts,
            settings.alert_webhook_url,
            settings.alert_webhook_attempts,
            settings.alert_webhook_backoff_seconds,
        )


def run_micro_batch(
    definitions: dg.Definitions,
    channels: Sequence[str],
    instance: dg.DagsterInstance | None = None,
) -> dg.ExecuteInProcessResult:
    """Load the new files of `channels` and rebuild what depends on them (no Splink, no tests).

    The caller holds the only writer lock of its process; another process's writer makes
    this raise `WarehouseBusyError`, and the caller tries again later.
    """
    resources = definitions.resources or {}
    check_warehouse_writable(Path(resources["warehouse"].path))
    keys = micro_batch_asset_keys(definitions.get_repository_def(), channels)
    # the assets without their checks: `asset_selection=` alone would add every check of
    # the selected assets (GX suites, freshness, volume: 5-10 s a batch); the nightly run
    # checks everything
    job = definitions.resolve_job_def(MICRO_BATCH_JOB_NAME).get_subset(
        asset_selection=set(keys), asset_check_selection=set()
    )
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
