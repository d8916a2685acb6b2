"""Failure alerts: a record in `ops.alerts` and a JSON POST to the webhook, with retries
(`orchestration/webhooks.py`, the one sender).

An alert says which run, job, asset and check failed and how badly, in numbers. It never
carries personal data: check descriptions name lead ids at most (the GX sample values stay
in the check's metadata in Dagster), and only numeric metadata is copied.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import dagster as dg
import duckdb

from orchestration.webhooks import Delivery, RetryPolicy, json_body, post_json

logger = logging.getLogger(__name__)

ALERT_COLUMNS = {
    "alert_id": "varchar primary key",
    "raised_at": "timestamp",
    "kind": "varchar",
    "run_id": "varchar",
    "job_name": "varchar",
    "asset_key": "varchar",
    "check_name": "varchar",
    "severity": "varchar",
    "message": "varchar",
    "payload": "json",
    "delivered": "boolean",
    "attempts": "integer",
    "delivery_error": "varchar",
}
MESSAGE_LIMIT = 500


@dataclass(frozen=True)
class Alert:
    """One failed run or failed check, ready to record and send."""

    kind: str  # run_failure | check_failure
    run_id: str
    job_name: str
    severity: str
    message: str
    asset_key: str | None = None
    check_name: str | None = None
    figures: dict[str, float | int | bool] = field(default_factory=dict)
    raised_at: str = field(default_factory=lambda: datetime.now(tz=UTC).isoformat())

    @property
    def alert_id(self) -> str:
        """Stable per run and check, so a sensor and the CLI never alert twice."""
        text = f"{self.kind}:{self.run_id}:{self.asset_key}:{self.check_name}"
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def payload(self) -> dict[str, object]:
        return {"alert_id": self.alert_id, "source": "leadscore", **asdict(self)}


def _numbers(metadata: Mapping[str, dg.MetadataValue]) -> dict[str, float | int | bool]:
    figures: dict[str, float | int | bool] = {}
    for name, value in metadata.items():
        raw = getattr(value, "value", value)
        if isinstance(raw, bool | int | float):
            figures[name] = raw
    return figures


def run_alerts(instance: dg.DagsterInstance, run_id: str) -> list[Alert]:
    """The alerts of a finished run: its failure (if it failed) and every failed check."""
    run = instance.get_run_by_id(run_id)
    if run is None:
        return []
    alerts: list[Alert] = []
    if run.status == dg.DagsterRunStatus.FAILURE:
        failures = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        steps = sorted({record.step_key for record in failures if record.step_key})
        first = failures[0].get_dagster_event().step_failure_data.error if failures else None
        while first is not None and first.cause is not None:
            first = first.cause
        reason = first.message.strip().splitlines()[0] if first and first.message else ""
        alerts.append(
            Alert(
                kind="run_failure",
                run_id=run_id,
                job_name=run.job_name,
                severity="ERROR",
                message=f"run failed at {', '.join(steps) or 'start'}: {reason}"[:MESSAGE_LIMIT],
                figures={"failed_steps": len(steps)},
            )
        )
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.get_dagster_event().asset_check_evaluation_data
        if evaluation.passed:
            continue
        alerts.append(
            Alert(
                kind="check_failure",
                run_id=run_id,
                job_name=run.job_name,
                severity=evaluation.severity.value,
                asset_key=evaluation.asset_key.to_user_string(),
                check_name=evaluation.check_name,
                message=(evaluation.description or f"check {evaluation.check_name} failed")[
                    :MESSAGE_LIMIT
                ],
                figures=_numbers(evaluation.metadata),
            )
        )
    return alerts


def record_and_send(
    connection: duckdb.DuckDBPyConnection,
    alerts: Sequence[Alert],
    webhook_url: str,
    attempts: int,
    backoff_seconds: float,
) -> list[Alert]:
    """Record each new alert in `ops.alerts` and POST it (the one webhook sender, with
    `attempts` tries); return the ones that were new."""
    columns = ", ".join(f"{name} {kind}" for name, kind in ALERT_COLUMNS.items())
    connection.execute("create schema if not exists ops")
    connection.execute(f"create table if not exists ops.alerts ({columns})")
    known = {row[0] for row in connection.execute("select alert_id from ops.alerts").fetchall()}
    fresh = [alert for alert in alerts if alert.alert_id not in known]
    for alert in fresh:
        delivery = (
            post_json(webhook_url, alert.payload(), RetryPolicy(attempts, backoff_seconds))
            if webhook_url
            else Delivery(delivered=False, attempts=0, error="no webhook configured")
        )
        if webhook_url and not delivery.delivered:
            logger.warning("alert %s not delivered: %s", alert.alert_id, delivery.error)
        connection.execute(
            "insert into ops.alerts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                alert.alert_id,
                alert.raised_at,
                alert.kind,
                alert.run_id,
                alert.job_name,
                alert.asset_key,
                alert.check_name,
                alert.severity,
                alert.message,
                json_body(alert.payload()),
                delivery.delivered,
                delivery.attempts,
                delivery.error,
            ],
        )
    return fresh
