"""Running the nightly job in-process: what `leadscore run` and the end-to-end tests call."""

from __future__ import annotations

import dagster as dg

from orchestration.dbt_manifest import prepare_dbt_manifest
from orchestration.definitions import build_definitions
from orchestration.schedules import NIGHTLY_JOB_NAME
from orchestration.settings import Settings


def run_nightly(
    settings: Settings,
    as_of: str = "",
    instance: dg.DagsterInstance | None = None,
    loggers: dict[str, dg.LoggerDefinition] | None = None,
) -> dg.ExecuteInProcessResult:
    """Re-parse the dbt project, then materialize every asset and run every check."""
    prepare_dbt_manifest()  # a stale manifest breaks runs after any dbt edit
    job = build_definitions(settings, as_of=as_of).resolve_job_def(NIGHTLY_JOB_NAME)
    if loggers:
        job = job.with_logger_defs(loggers)
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        run_config={"loggers": {name: {} for name in loggers}} if loggers else None,
    )
