"""`leadscore serve` for real: a subprocess on a free port over a copy of the e2e warehouse.

One scenario, run once for the module (each micro-batch is a dbt run): requests that must be
refused, SendGrid's signed test vector, a lead pushed over the alert threshold by Segment
calls, a crash (SIGKILL) right after an accepted call, a restart and a client retry. The
tests below each check one thing the scenario recorded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pipeline_run import PipelineRun
from sendgrid_vector import PAYLOAD, PUBLIC_KEY, SIGNATURE, TIMESTAMP
from serve_harness import (
    WRITE_KEY,
    Answer,
    ServeProcess,
    WebhookReceiver,
    basic_auth,
    copy_warehouse,
    webhook_receiver,
)

from testing.fake_apis import (
    SALESFORCE_ACCESS_TOKEN,
    FakeApiServer,
    FakeSalesforce,
)

pytestmark = pytest.mark.realtime

PRICING_POINTS = 10  # pricing_page_view in tests/e2e/seed_rules.yml (no decay, no caps)
THRESHOLD = 60  # alerts.thresholds of seed_rules.yml
SALESFORCE_FIELDS = "total_score=Lead_Score__c,band=Lead_Band__c,owner=Lead_Owner_Email__c"


@dataclass
class Scenario:
    lead: dict[str, Any]
    pricing_views: int
    refusals: dict[str, Answer] = field(default_factory=dict)
    sendgrid: dict[str, Answer] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    after_restart: dict[str, Any] = field(default_factory=dict)
    latency_seconds: float = 0.0
    message_ids: list[str] = field(default_factory=list)
    webhooks_after_first_batch: list[tuple[str, str]] = field(default_factory=list)
    webhooks: list[tuple[str, str]] = field(default_factory=list)
    salesforce_first_batch: list[dict[str, Any]] = field(default_factory=list)
    salesforce_second_batch: list[dict[str, Any]] = field(default_factory=list)
    warehouse_path: Path = Path()
    export_dir: Path = Path()


def pick_lead(export_dir: Path) -> dict[str, Any]:
    """The highest-scored lead below the threshold with an email and a Salesforce Lead id."""
    scores, profiles = export_dir / "lead_scores.parquet", export_dir / "lead_profiles.parquet"
    row = duckdb.execute(
        "select p.lead_id, p.email, p.crm_lead_id, s.total_score, s.band "
        "from read_parquet(?) as s inner join read_parquet(?) as p on s.lead_id = p.lead_id "
        "where p.email is not null and p.crm_lead_id is not null and not s.is_disqualified "
        "and s.total_score < ? order by s.total_score desc, p.lead_id limit 1",
        [str(scores), str(profiles), THRESHOLD],
    ).fetchall()[0]
    return dict(zip(["lead_id", "email", "crm_lead_id", "total_score", "band"], row, strict=True))


def segment_calls(email: str, anonymous_id: str, message_ids: list[str]) -> dict[str, Any]:
    now = datetime.now(tz=UTC).isoformat().replace("+00:00", "Z")
    identify = {
        "type": "identify",
        "messageId": message_ids[0],
        "anonymousId": anonymous_id,
        "traits": {"email": email},
        "timestamp": now,
    }
    views = [
        {
            "type": "page",
            "messageId": message_id,
            "anonymousId": anonymous_id,
            "properties": {"path": "/pricing", "url": "https://www.example.com/pricing"},
            "timestamp": now,
        }
        for message_id in message_ids[1:]
    ]
    return {"batch": [identify, *views], "sentAt": now}


@pytest.fixture(scope="module")
def scenario(
    pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("serve")
    env = copy_warehouse(pipeline_run.settings, root)
    lead = pick_lead(Path(env["LEADSCORE_EXPORT_DIR"]))
    views = math.ceil((THRESHOLD - float(lead["total_score"])) / PRICING_POINTS)
    salesforce = FakeApiServer(FakeSalesforce.from_landing(Path(env["LEADSCORE_LANDING_DIR"])))
    salesforce.start()
    with webhook_receiver() as receiver:
        env |= {
            "LEADSCORE_SENDGRID_PUBLIC_KEY": PUBLIC_KEY,
            "LEADSCORE_SCORE_WEBHOOK_URLS": receiver.url,
            "LEADSCORE_SALESFORCE_FIELDS": SALESFORCE_FIELDS,
            "SOURCES__SALESFORCE__BASE_URL": salesforce.base_url,
            "SOURCES__SALESFORCE__ACCESS_TOKEN": SALESFORCE_ACCESS_TOKEN,
        }
        result = Scenario(lead=lead, pricing_views=views)
        result.warehouse_path = Path(env["LEADSCORE_WAREHOUSE"])
        result.export_dir = Path(env["LEADSCORE_EXPORT_DIR"])
        yield run_scenario(result, env, root, receiver, salesforce.api)
    salesforce.stop()


def run_scenario(
    result: Scenario,
    env: dict[str, str],
    root: Path,
    receiver: WebhookReceiver,
    salesforce: FakeSalesforce,
) -> Scenario:
    lead = result.lead
    first = ServeProcess(env, root / "serve-1.log")
    result.refusals = {
        "wrong_key": first.post_segment("track", {"messageId": "x"}, key="wrong"),
        "bad_json": first.request(
            "POST", "/v1/track", b"{oops", {"Authorization": basic_auth(WRITE_KEY)}
        ),
        "oversized": first.request(
            "POST",
            "/v1/track",
            b"{" + b" " * 40_000 + b"}",
            {"Authorization": basic_auth(WRITE_KEY)},
        ),
        "unknown_lead": first.request("GET", "/v1/leads/nobody%40nowhere.example"),
    }
    result.before = first.request("GET", f"/v1/leads/{lead['email']}").body
    # batch 1: SendGrid's signed test vector (and, on the first run of the score actions,
    # the webhook backlog and the first Salesforce write of every lead)
    signed = {"X-Twilio-Email-Event-Webhook-Signature": SIGNATURE}
    result.sendgrid = {
        "unsigned": first.request("POST", "/webhooks/sendgrid", PAYLOAD, {}),
        "wrong_timestamp": first.request(
            "POST",
            "/webhooks/sendgrid",
            PAYLOAD,
            {**signed, "X-Twilio-Email-Event-Webhook-Timestamp": "1600112503"},
        ),
        "valid": first.request(
            "POST",
            "/webhooks/sendgrid",
            PAYLOAD,
            {**signed, "X-Twilio-Email-Event-Webhook-Timestamp": TIMESTAMP},
        ),
    }
    first.wait_for_batches(1)
    result.webhooks_after_first_batch = receiver.events()
    result.salesforce_first_batch = list(salesforce.lead_updates)
    # batch 2: the lead's visits push it over the threshold
    result.message_ids = [f"rt-{lead['lead_id']}-{n}" for n in range(result.pricing_views + 1)]
    calls = segment_calls(lead["email"], f"anon-rt-{lead['lead_id']}", result.message_ids)
    sent = time.monotonic()
    assert first.post_segment("batch", calls).status == 200
    first.wait_for_batches(2)
    while first.request("GET", f"/v1/leads/{lead['email']}").body == result.before:
        time.sleep(0.2)  # the loop reloads the exports right after the batch
    result.latency_seconds = time.monotonic() - sent
    result.after = first.request("GET", f"/v1/leads/{lead['email']}").body
    result.salesforce_second_batch = salesforce.lead_updates[len(result.salesforce_first_batch) :]
    # a crash right after an accepted call, then a restart and the client's retry of it
    late_id = f"rt-{lead['lead_id']}-late"
    late = segment_calls(
        lead["email"], f"anon-rt-{lead['lead_id']}", [result.message_ids[0], late_id]
    )
    assert first.post_segment("batch", late).status == 200
    first.kill()
    second = ServeProcess(env, root / "serve-2.log")
    assert second.post_segment("batch", late).status == 200  # the client retries
    second.wait_for_batches(1)
    result.after_restart = second.request("GET", f"/v1/leads/{lead['email']}").body
    result.message_ids.append(late_id)
    assert second.stop() == 0
    result.webhooks = receiver.events()
    return result


def test_refused_requests_get_their_status_and_reason(scenario: Scenario) -> None:
    refusals = scenario.refusals
    assert refusals["wrong_key"].status == 401
    assert refusals["bad_json"].status == 400
    assert refusals["bad_json"].body["error"].startswith("invalid JSON: Expecting property name")
    assert refusals["oversized"].status == 400
    assert refusals["oversized"].body == {"error": "body over 32768 bytes"}
    assert refusals["unknown_lead"].status == 404


def test_sendgrid_signatures_are_checked_with_the_configured_key(scenario: Scenario) -> None:
    assert scenario.sendgrid["unsigned"].status == 401
    assert scenario.sendgrid["wrong_timestamp"].status == 401
    assert scenario.sendgrid["valid"].status == 200


def test_segment_calls_change_the_served_score_by_their_points(scenario: Scenario) -> None:
    before, after = scenario.before, scenario.after
    assert before["lead_id"] == after["lead_id"] == scenario.lead["lead_id"]
    assert float(before["total_score"]) == pytest.approx(float(scenario.lead["total_score"]))
    assert after["total_score"] == pytest.approx(
        before["total_score"] + PRICING_POINTS * scenario.pricing_views
    )
    assert after["total_score"] >= THRESHOLD > before["total_score"]
    assert after["updated_at"] > before["updated_at"]
    print(f"request -> updated score: {scenario.latency_seconds:.1f} s")  # noqa: T201


def test_no_event_is_lost_or_doubled_across_a_crash_and_a_retry(scenario: Scenario) -> None:
    with duckdb.connect(str(scenario.warehouse_path), read_only=True) as connection:
        loaded = connection.execute(
            "select message_id, count(*) from raw_web.events where message_id like 'rt-%' "
            "group by 1 order by 1"
        ).fetchall()
        scored = connection.execute(
            "select total_score from marts.lead_scores where lead_id = ?",
            [scenario.lead["lead_id"]],
        ).fetchall()
    assert loaded == sorted((message_id, 1) for message_id in scenario.message_ids)
    expected = scenario.before["total_score"] + PRICING_POINTS * (scenario.pricing_views + 1)
    assert float(scored[0][0]) == pytest.approx(expected)
    assert scenario.after_restart["total_score"] == pytest.approx(expected)


def test_the_crossing_is_posted_exactly_once(scenario: Scenario) -> None:
    lead_id = scenario.lead["lead_id"]
    assert scenario.webhooks_after_first_batch == []  # the backlog is not sent
    crossings = [event for event in scenario.webhooks if event[0] == "threshold_crossed"]
    assert crossings == [("threshold_crossed", lead_id)]
    assert {lead for _, lead in scenario.webhooks} == {lead_id}


def test_salesforce_receives_exactly_the_changed_lead(scenario: Scenario) -> None:
    exports = scenario.export_dir
    with_crm_id = duckdb.execute(
        "select count(*) from read_parquet(?) as s inner join read_parquet(?) as p "
        "on s.lead_id = p.lead_id where p.crm_lead_id is not null",
        [str(exports / "lead_scores.parquet"), str(exports / "lead_profiles.parquet")],
    ).fetchall()[0][0]
    assert len(scenario.salesforce_first_batch) == with_crm_id  # never written before
    assert scenario.salesforce_second_batch == [
        {
            "Id": scenario.lead["crm_lead_id"],
            "Lead_Score__c": scenario.after["total_score"],
            "Lead_Band__c": scenario.after["band"],
            "Lead_Owner_Email__c": scenario.after["owner"],
        }
    ]
