"""Blocking checks stop downstream assets; failed checks and runs alert a real webhook server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.alerts import record_and_send, run_alerts
from orchestration.checks.suites import build_suite_checks
from orchestration.resources import AlertsResource, ScoringResource, WarehouseResource
from orchestration.sensors import alert_on_failed_checks
from orchestration.webhooks import RetryPolicy, post_json
from quality.suites import SUITES_DIR, load_suite

LEAD_SCORES_SQL = """
create schema if not exists config;
create or replace table config.fit_rules as
select * from (values ('size', null, 15.0)) as t(rule_id, exclusive_group, points);
create or replace table config.bands as
select * from (values ('A1', 'hot'), ('D3', 'cold')) as t(grid_cell, band);
create schema if not exists marts;
create or replace table marts.lead_scores as
select * from (values
    ('ld_a', 15.0, 70.0, false, 'A1', 'hot', 'hot', null::float),
    ('ld_a', 15.0, 70.0, false, 'A1', 'hot', 'hot', null::float),
    ('ld_c', 0.0, 0.0, true, 'D3', 'cold', 'cold', null::float)
) as t(lead_id, fit_score, total_score, is_disqualified, grid_cell, rules_band, band,
    override_score)
"""


class WebhookServer:
    """A local webhook on a free port: answers 503 to the first `failures` posts, then 200."""

    def __init__(self, failures: int) -> None:
        self.bodies: list[dict] = []
        self.statuses: list[int] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = 503 if len(server.statuses) < failures else 200
                server.statuses.append(status)
                if status == 200:
                    server.bodies.append(json.loads(body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/hooks/leadscore"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture()
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer(failures=1)
    yield server
    server.close()


@pytest.fixture()
def warehouse(tmp_path: Path) -> WarehouseResource:
    return WarehouseResource(path=str(tmp_path / "w.duckdb"), dlt_pipelines_dir=str(tmp_path))


def broken_scores_run(
    warehouse: WarehouseResource, instance: dg.DagsterInstance
) -> dg.ExecuteInProcessResult:
    """lead_scores with a duplicated lead, its real blocking GX check, one downstream asset."""

    @dg.asset(key=["marts", "lead_scores"])
    def lead_scores(warehouse: WarehouseResource) -> None:
        with warehouse.connect() as connection:
            connection.execute(LEAD_SCORES_SQL)

    @dg.asset(key=["exports", "bi_parquet"], deps=[lead_scores.key])
    def bi_parquet() -> None:
        return None

    checks = build_suite_checks([load_suite(SUITES_DIR / "lead_scores.yml")])
    return dg.materialize(
        [lead_scores, bi_parquet, *checks],
        resources={
            "warehouse": warehouse,
            "scoring": ScoringResource(rules_path="-", as_of="2026-06-30"),
        },
        instance=instance,
        raise_on_error=False,
    )


def test_a_broken_core_table_stops_downstream_and_alerts_the_webhook(
    warehouse: WarehouseResource, webhook: WebhookServer
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = broken_scores_run(warehouse, instance)
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "lead_scores"]) in materialized
    assert dg.AssetKey(["exports", "bi_parquet"]) not in materialized  # blocked

    alerts = run_alerts(instance, result.run_id)
    with duckdb.connect(warehouse.path) as connection:
        sent = record_and_send(connection, alerts, webhook.url, attempts=3, backoff_seconds=0.01)
        again = record_and_send(connection, alerts, webhook.url, attempts=3, backoff_seconds=0.01)
        recorded = connection.execute(
            "select kind, check_name, severity, delivered, attempts from ops.alerts"
        ).fetchall()
    check_alerts = [alert for alert in sent if alert.kind == "check_failure"]
    assert [alert.check_name for alert in check_alerts] == ["gx_lead_scores"]
    assert again == []  # an alert is recorded and sent once
    # a failed blocking check fails the run: two alerts, the first one retried after a 503
    assert sorted(recorded) == [
        ("check_failure", "gx_lead_scores", "ERROR", True, 1),
        ("run_failure", None, "ERROR", True, 2),
    ]
    assert webhook.statuses == [503, 200, 200]

    (payload,) = [body for body in webhook.bodies if body["kind"] == "check_failure"]
    assert payload["asset_key"] == "marts/lead_scores"
    assert payload["message"].startswith("lead_id: expect_column_values_to_be_unique failed")
    assert payload["figures"]["unexpected_count"] == 2
    assert payload["run_id"] == result.run_id


def test_a_failed_run_alerts_with_its_step(warehouse: WarehouseResource) -> None:
    @dg.asset(key=["raw_web", "events"])
    def events() -> None:
        raise dg.Failure(description="landing zone unreadable")

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([events], instance=instance, raise_on_error=False)
    (alert,) = run_alerts(instance, result.run_id)
    assert alert.kind == "run_failure" and alert.severity == "ERROR"
    assert alert.message == (
        "run failed at raw_web__events: dagster._core.definitions.events.Failure: "
        "landing zone unreadable"
    )


def test_the_failed_checks_sensor_records_the_alerts(
    warehouse: WarehouseResource, webhook: WebhookServer
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    result = broken_scores_run(warehouse, instance)
    run = instance.get_run_by_id(result.run_id)
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_failed_checks",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=result.all_events[-1],
    )
    alert_on_failed_checks(
        context,
        warehouse=warehouse,
        alerts=AlertsResource(webhook_url=webhook.url, attempts=3, backoff_seconds=0.01),
    )
    with duckdb.connect(warehouse.path, read_only=True) as connection:
        assert connection.execute(
            "select check_name, delivered from ops.alerts where kind = 'check_failure'"
        ).fetchall() == [("gx_lead_scores", True)]


def test_a_client_error_is_not_retried(webhook: WebhookServer) -> None:
    delivery = post_json(webhook.url.replace("127.0.0.1", "127.0.0.1:1"), {}, RetryPolicy(3, 0.0))
    assert not delivery.delivered and delivery.attempts == 3  # connection refused: retried
    assert webhook.statuses == []


def test_the_payload_carries_no_personal_data(
    warehouse: WarehouseResource, webhook: WebhookServer
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    with duckdb.connect(warehouse.path) as connection:
        connection.execute(LEAD_SCORES_SQL)
        connection.execute(
            "create table marts.lead_profiles as select * from (values "
            "('ld_a', 'ann.lee@acme.io'), ('ld_b', 'info@acme.io'), ('ld_b', 'not-an-email')) "
            "as t(lead_id, email); "
            "create table config.identity_blocked_values as select * from (values "
            "('email_local_part', 'info'), ('placeholder', 'n/a')) as t(block_kind, blocked_value)"
        )

    @dg.asset(key=["marts", "lead_profiles"])
    def lead_profiles() -> None:
        return None

    checks = build_suite_checks([load_suite(SUITES_DIR / "lead_profiles.yml")])
    result = dg.materialize(
        [lead_profiles, *checks],
        resources={
            "warehouse": warehouse,
            "scoring": ScoringResource(rules_path="-", as_of="2026-06-30"),
        },
        instance=instance,
        raise_on_error=False,
    )
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed
    # the sample values (emails) are in the check's metadata in Dagster ...
    assert "info@acme.io" in str(evaluation.metadata["failure_details"].value)
    with duckdb.connect(warehouse.path) as connection:
        record_and_send(connection, run_alerts(instance, result.run_id), webhook.url, 3, 0.01)
    # ... but never in the alert
    assert webhook.bodies and "@" not in json.dumps(webhook.bodies)
