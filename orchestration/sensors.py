"""Sensors: failure alerts for runs the daemon sees (the UI, the schedule)."""

from __future__ import annotations

import dagster as dg

from orchestration.alerts import record_and_send, run_alerts
from orchestration.resources import AlertsResource, WarehouseResource


def _alert(
    context: dg.RunStatusSensorContext, warehouse: WarehouseResource, alerts: AlertsResource
) -> None:
    found = run_alerts(context.instance, context.dagster_run.run_id)
    if not found:
        return
    with warehouse.connect() as connection:
        sent = record_and_send(
            connection, found, alerts.webhook_url, alerts.attempts, alerts.backoff_seconds
        )
    context.log.info(f"{len(sent)} alerts recorded for run {context.dagster_run.run_id}")


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    description="When a run fails: an alert record in ops.alerts and a JSON POST to "
    "LEADSCORE_ALERT_WEBHOOK_URL (with the run's failed checks).",
    default_status=dg.DefaultSensorStatus.RUNNING,
    monitor_all_code_locations=False,
)
def alert_on_run_failure(
    context: dg.RunFailureSensorContext, warehouse: WarehouseResource, alerts: AlertsResource
) -> None:
    _alert(context, warehouse, alerts)


@dg.run_status_sensor(
    name="alert_on_failed_checks",
    run_status=dg.DagsterRunStatus.SUCCESS,
    description="When a run succeeds but some of its checks failed or warned: one alert per "
    "failed check in ops.alerts and a JSON POST to LEADSCORE_ALERT_WEBHOOK_URL.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def alert_on_failed_checks(
    context: dg.RunStatusSensorContext, warehouse: WarehouseResource, alerts: AlertsResource
) -> None:
    _alert(context, warehouse, alerts)


SENSORS = [alert_on_run_failure, alert_on_failed_checks]
