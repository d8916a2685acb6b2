"""The Dagster job `forget_person`: `leadscore forget` with a config form in the UI."""
# No `from __future__ import annotations`: Dagster resolves the op's config type at runtime.

from pathlib import Path

import dagster as dg

from orchestration.privacy.forget import forget
from orchestration.privacy.masking import mask_emails_in
from orchestration.resources import ExportDirResource, ReportDirResource, WarehouseResource
from orchestration.settings import load_settings

FORGET_JOB_NAME = "forget_person"


class ForgetConfig(dg.Config):
    """The erasure request. Dagster keeps a run's config in its run storage: delete the run
    afterwards (`dagster run delete RUN_ID`) or use the CLI where that matters."""

    email_or_lead_id: str
    reason: str = ""


@dg.op(
    description="Erase one person everywhere (every table, exports, working files), add their "
    "keys' salted hashes to the suppression list and log the request (README 'Privacy').",
    pool="duckdb",
)
def forget_person_op(
    context: dg.OpExecutionContext,
    config: ForgetConfig,
    warehouse: WarehouseResource,
    exports: ExportDirResource,
    reports: ReportDirResource,
) -> dg.Output[None]:
    settings = load_settings().with_overrides(
        warehouse_path=warehouse.path, export_dir=exports.path, report_dir=reports.path
    )
    report = forget(settings, config.email_or_lead_id, config.reason or None)
    for line in report.lines():
        context.log.info(mask_emails_in(line))
    return dg.Output(
        None,
        metadata={
            "request_id": report.request_id,
            "total_rows_removed": report.total_rows,
            "rows_removed": dg.MetadataValue.json(report.rows_removed),
            "warehouse": str(Path(warehouse.path)),
        },
    )


@dg.job(name=FORGET_JOB_NAME, description="Erase a person on request (GDPR/CCPA).")
def forget_person_job() -> None:
    forget_person_op()
