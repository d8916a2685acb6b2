"""The score acts, on hand-made marts in an in-memory DuckDB: alert webhooks once per
crossing and band change, Salesforce write-back of exactly the changed leads."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from orchestration.score_actions.salesforce_writeback import (
    MAX_RECORDS_PER_CALL,
    SalesforceWritebackError,
    write_back_scores,
)
from orchestration.score_actions.webhook_delivery import deliver_score_webhooks
from orchestration.webhooks import Delivery

HOOK = "http://127.0.0.1:9/hook"
FIELDS = [("total_score", "Lead_Score__c"), ("band", "Lead_Band__c"), ("owner", "Owner_Email__c")]


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("""
        create schema marts;
        create table marts.lead_profiles (lead_id varchar, email varchar, crm_lead_id varchar);
        create table marts.lead_scores (
            lead_id varchar, total_score decimal(10, 2), band varchar, grid_cell varchar,
            owner varchar);
        create table marts.score_alerts (
            alert_id varchar, lead_id varchar, threshold double, crossed_at timestamp,
            total_score decimal(10, 2), band varchar, owner varchar);
        insert into marts.lead_profiles values
            ('ld_a', 'a@x.io', '00Q000000000001'), ('ld_b', 'b@x.io', null),
            ('ld_c', 'c@x.io', '00Q000000000003');
        insert into marts.lead_scores values
            ('ld_a', 72.5, 'hot', 'A1', 'ana@ourco.example'),
            ('ld_b', 10, 'cold', 'D3', null),
            ('ld_c', 30, 'warm', 'B2', 'bo@ourco.example');
        insert into marts.score_alerts values
            ('al_a', 'ld_a', 60, '2026-07-01 23:59:59', 72.5, 'hot', 'ana@ourco.example');
    """)
    return connection


class Receiver:
    """Records every post; answers with the queued statuses first, then 200."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        self.statuses = list(statuses or [])

    def __call__(self, url: str, body: dict[str, Any]) -> Delivery:
        self.posts.append((url, body))
        status = self.statuses.pop(0) if self.statuses else 200
        return Delivery(delivered=200 <= status < 300, attempts=1, http_status=status)

    def events(self) -> list[tuple[str, str]]:
        return [(b["leadscore"]["event"], b["leadscore"]["lead_id"]) for _, b in self.posts]


def test_alerts_before_a_webhook_existed_are_not_sent(warehouse: duckdb.DuckDBPyConnection) -> None:
    receiver = Receiver()
    report = deliver_score_webhooks(warehouse, [HOOK], receiver)
    assert receiver.posts == []
    assert report.counts == {"skipped_backlog": 1}


def test_a_new_crossing_and_a_band_change_are_posted_once(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    receiver = Receiver()
    deliver_score_webhooks(warehouse, [HOOK], receiver)  # first run: backlog and band states
    warehouse.execute("""
        update marts.lead_scores set total_score = 64, band = 'hot' where lead_id = 'ld_c';
        insert into marts.score_alerts values
            ('al_c', 'ld_c', 60, '2026-07-02 23:59:59', 64, 'hot', 'bo@ourco.example');
    """)
    deliver_score_webhooks(warehouse, [HOOK], receiver)
    deliver_score_webhooks(warehouse, [HOOK], receiver)  # a rerun sends nothing again
    assert sorted(receiver.events()) == [("band_changed", "ld_c"), ("threshold_crossed", "ld_c")]
    crossing = next(b for _, b in receiver.posts if b["leadscore"]["event"] == "threshold_crossed")
    assert crossing["text"] == "Lead c@x.io crossed 60 points: 64 (hot), owner bo@ourco.example"
    assert crossing["leadscore"]["total_score"] == 64.0


def test_a_failed_post_is_retried_by_the_next_run_only(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    receiver = Receiver()
    deliver_score_webhooks(warehouse, [HOOK], receiver)
    warehouse.execute("update marts.lead_scores set band = 'cold' where lead_id = 'ld_a'")
    receiver.statuses = [503]
    first = deliver_score_webhooks(warehouse, [HOOK], receiver)
    second = deliver_score_webhooks(warehouse, [HOOK], receiver)
    third = deliver_score_webhooks(warehouse, [HOOK], receiver)
    assert first.counts == {"queued": 1, "failed": 1}
    assert second.counts == {"sent": 1}
    assert third.counts == {}
    assert receiver.events() == [("band_changed", "ld_a")] * 2
    assert warehouse.execute(
        "select status, attempts, http_status from actions.webhook_messages "
        "where kind = 'band_changed'"
    ).fetchall() == [("sent", 2, 200)]


class FakeSalesforce:
    def __init__(self, status: int = 200) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status = status

    def __call__(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        self.calls.append(body)
        answer = [{"id": r["id"], "success": True, "errors": []} for r in body["records"]]
        return self.status, answer


def test_writeback_sends_only_leads_with_a_crm_id_and_only_when_changed(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    salesforce = FakeSalesforce()
    first = write_back_scores(warehouse, FIELDS, salesforce)
    assert salesforce.calls[0]["records"] == [
        {
            "attributes": {"type": "Lead"},
            "id": "00Q000000000001",
            "Lead_Score__c": 72.5,
            "Lead_Band__c": "hot",
            "Owner_Email__c": "ana@ourco.example",
        },
        {
            "attributes": {"type": "Lead"},
            "id": "00Q000000000003",
            "Lead_Score__c": 30.0,
            "Lead_Band__c": "warm",
            "Owner_Email__c": "bo@ourco.example",
        },
    ]
    assert (first.written, first.calls) == (2, 1)
    assert write_back_scores(warehouse, FIELDS, salesforce).calls == 0  # nothing changed
    warehouse.execute("update marts.lead_scores set total_score = 31 where lead_id = 'ld_c'")
    warehouse.execute("update marts.lead_scores set grid_cell = 'A2' where lead_id = 'ld_a'")
    write_back_scores(warehouse, FIELDS, salesforce)  # grid_cell is not a mapped field
    assert [r["id"] for r in salesforce.calls[-1]["records"]] == ["00Q000000000003"]
    assert len(salesforce.calls) == 2


def test_writeback_batches_200_records_a_call(warehouse: duckdb.DuckDBPyConnection) -> None:
    warehouse.execute("""
        insert into marts.lead_profiles
            select 'ld_n' || i, null, '00Q' || lpad(cast(i as varchar), 12, '0')
            from range(1000, 1000 + 401) as t(i);
        insert into marts.lead_scores
            select 'ld_n' || i, 1, 'cold', 'D3', null from range(1000, 1000 + 401) as t(i);
    """)
    salesforce = FakeSalesforce()
    report = write_back_scores(warehouse, FIELDS, salesforce)
    assert [len(call["records"]) for call in salesforce.calls] == [MAX_RECORDS_PER_CALL, 200, 3]
    assert report.written == 403


def test_writeback_401_is_a_clear_error_and_records_nothing(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(SalesforceWritebackError, match="HTTP 401.*ACCESS_TOKEN"):
        write_back_scores(warehouse, FIELDS, FakeSalesforce(status=401))
    assert warehouse.execute("select count(*) from actions.salesforce_writes").fetchall() == [(0,)]


def test_writeback_refuses_an_unknown_column(warehouse: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="unknown column"):
        write_back_scores(warehouse, [("email", "Email")], FakeSalesforce())
