"""CRM in API mode: Salesforce SOQL pages from a fake server, the tables of files mode."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from raw_load import RawLoad

from ingestion.salesforce_api import newest_cursor, soql, soql_datetime
from ingestion.sources import CHANNEL_SOURCES
from testing.fake_apis import SALESFORCE_QUERY_PATH, FakeApis

KEYS = {
    table: f"select id, last_modified_date from raw_crm.{table} order by all"
    for table in ("leads", "opportunities", "tasks")
}
REJECTED = " union all ".join(
    f"select '{table}', entity, position, disposition, reason from raw_crm.{table}_rejected"
    for table in ("leads", "tasks")
)


def _newest(landing: Path, folder: str, field: str) -> str:
    """The newest readable `field` of a landing folder, computed here independently."""
    values = [
        record[field]
        for path in sorted((landing / "crm" / folder).glob("*.json"))
        for record in json.loads(path.read_text())["records"]
        if isinstance(record.get(field), str) and record[field].startswith("2026-")
    ]
    return max(values).replace(".000+0000", ".000Z")


def test_api_mode_loads_exactly_what_files_mode_loads(
    raw_load: type[RawLoad], fake_apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = raw_load("crm", "api")
    api.run()
    monkeypatch.delenv("SOURCES__SALESFORCE__BASE_URL")
    files = raw_load("crm", "files")
    files.run()

    assert (
        api.counts()
        == files.counts()
        == {
            "leads": 286,
            "leads_rejected": 3,
            "opportunities": 10,
            "opportunities_rejected": 0,
            "tasks": 359,
            "tasks_rejected": 2,
        }
    )
    for sql in KEYS.values():
        assert api.rows(sql) == files.rows(sql)
    assert api.rows(REJECTED + " order by all") == files.rows(REJECTED + " order by all")
    assert api.rows("select distinct file from raw_crm.tasks order by 1") == [
        ("api:salesforce/Task/all/page-0001",),
        ("api:salesforce/Task/all/page-0002",),
    ]
    # Each object: the query (first page), then its second page through nextRecordsUrl:
    # leads 246 + 47 = 293 records, opportunities 6 + 4 = 10, tasks 311 + 51 = 362.
    requests = fake_apis.salesforce.requests
    first_pages = {
        r.params["q"].split(" FROM ")[1].split()[0]: r.records
        for r in requests
        if r.path == SALESFORCE_QUERY_PATH
    }
    assert first_pages == {"Lead": 246, "Opportunity": 6, "Task": 311}
    assert sorted(r.records for r in requests if r.path != SALESFORCE_QUERY_PATH) == [4, 47, 51]
    assert {r.status for r in requests} == {200}
    assert all(" WHERE " not in r.params.get("q", "") for r in requests)


def test_second_run_asks_only_for_changes_and_loads_nothing(
    raw_load: type[RawLoad], fake_apis: FakeApis, generated_landing: Path
) -> None:
    api = raw_load("crm")
    api.run()
    before = api.counts()

    assert api.run().loads_ids == []
    assert api.counts() == before
    second = fake_apis.salesforce.requests[6:]
    assert sorted(r.params["q"].split(" FROM ")[1] for r in second) == [
        f"Lead WHERE LastModifiedDate > {_newest(generated_landing, 'leads', 'LastModifiedDate')}"
        " ORDER BY LastModifiedDate",
        "Opportunity WHERE LastModifiedDate > "
        f"{_newest(generated_landing, 'opportunities', 'LastModifiedDate')} "
        "ORDER BY LastModifiedDate",
        f"Task WHERE CreatedDate > {_newest(generated_landing, 'tasks', 'CreatedDate')}"
        " ORDER BY CreatedDate",
    ]
    assert [r.records for r in second] == [0, 0, 0]


def test_opportunity_won_after_a_run_is_picked_up_by_the_next(
    raw_load: type[RawLoad], fake_apis: FakeApis, generated_landing: Path
) -> None:
    api = raw_load("crm")
    api.run()
    page = json.loads((generated_landing / "crm/opportunities/page-000001.json").read_text())
    opportunity = page["records"][0]
    won = {
        **opportunity,
        "StageName": "Closed Won",
        "IsClosed": True,
        "IsWon": True,
        "CloseDate": "2026-07-02",
        "LastModifiedDate": "2026-07-02T10:00:00.000+0000",
    }
    fake_apis.salesforce.api.add_record("Opportunity", won)

    api.run()

    assert api.counts()["opportunities"] == 11
    assert [r.records for r in fake_apis.salesforce.requests[6:]] == [0, 1, 0]
    # Staging's rule (latest LastModifiedDate) now picks the won version.
    assert api.rows(
        "select stage_name, is_won, close_date, last_modified_date from raw_crm.opportunities "
        f"where id = '{opportunity['Id']}' order by last_modified_date desc"
    ) == [
        ("Closed Won", True, date(2026, 7, 2), datetime(2026, 7, 2, 10, tzinfo=UTC)),
        ("Qualification", False, date(2026, 7, 25), datetime(2026, 6, 25, 15, 45, 29, tzinfo=UTC)),
    ]


def test_mode_keeps_the_resource_names(generated_landing: Path, fake_apis: FakeApis) -> None:
    # The Dagster asset keys [raw_crm, leads] etc. come from these names, in both modes.
    source = CHANNEL_SOURCES["crm"](generated_landing)
    assert list(source.resources) == ["leads", "opportunities", "tasks"]


def test_soql_and_cursor_helpers() -> None:
    assert soql("Task", "Id", "CreatedDate", None) == "SELECT Id FROM Task ORDER BY CreatedDate"
    assert soql_datetime(datetime(2026, 6, 30, 18, 37, 16, 250000, tzinfo=UTC)) == (
        "2026-06-30T18:37:16.250Z"
    )
    records = [
        {"LastModifiedDate": "2026-06-02T10:00:00.000+0000"},
        {"LastModifiedDate": "yesterday"},  # quarantined, never a cursor
        {"Email": "qa+1@x.com", "LastModifiedDate": "2026-06-03T10:00:00.000+0000"},
    ]
    assert newest_cursor(records, "LastModifiedDate", None) == "2026-06-03T10:00:00.000Z"
    assert newest_cursor(records, "LastModifiedDate", "2026-06-04T00:00:00.000Z") == (
        "2026-06-04T00:00:00.000Z"
    )
    assert newest_cursor([], "LastModifiedDate", None) is None
