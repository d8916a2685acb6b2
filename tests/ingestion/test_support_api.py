"""Support in API mode: Zendesk's cursor export from a fake server, the tables of files mode."""

import json
from datetime import UTC, datetime
from pathlib import Path

from raw_load import RawLoad

from ingestion.sources import CHANNEL_SOURCES
from ingestion.zendesk_api import ZendeskExportPaginator
from testing.fake_apis import ZENDESK_EXPORT_PATH, FakeApis

TICKET_KEYS = "select id, updated_at from raw_support.tickets order by all"
USER_KEYS = "select id, email, role from raw_support.users order by all"
REJECTED = (
    "select entity, position, disposition, reason from raw_support.tickets_rejected order by all"
)


def test_api_mode_loads_exactly_what_files_mode_loads(
    raw_load: type[RawLoad], fake_apis: FakeApis, monkeypatch: object
) -> None:
    api = raw_load("support", "api")
    api.run()
    monkeypatch.delenv("SOURCES__ZENDESK__BASE_URL")  # type: ignore[attr-defined]
    files = raw_load("support", "files")
    files.run()

    assert api.counts() == files.counts() == {"tickets": 189, "tickets_rejected": 6, "users": 54}
    assert api.rows(TICKET_KEYS) == files.rows(TICKET_KEYS)
    assert api.rows(USER_KEYS) == files.rows(USER_KEYS)
    # One API page per landing page, so a rejected row keeps its position in its page.
    assert api.rows(REJECTED) == files.rows(REJECTED)
    assert api.rows("select distinct file from raw_support.tickets order by 1") == [
        ("api:zendesk/cursor=WzEsIDBd",),
        ("api:zendesk/cursor=WzIsIDBd",),
        ("api:zendesk/start_time=0",),
    ]
    requests = fake_apis.zendesk.requests
    assert [(r.path, r.status, r.records) for r in requests] == [
        (ZENDESK_EXPORT_PATH, 200, 100),
        (ZENDESK_EXPORT_PATH, 200, 66),
        (ZENDESK_EXPORT_PATH, 200, 28),
    ]
    assert requests[0].params == {"start_time": "0", "include": "users"}
    assert requests[1].params == {"cursor": "WzEsIDBd", "include": "users"}


def test_second_run_resumes_from_the_cursor_and_loads_nothing(
    raw_load: type[RawLoad], fake_apis: FakeApis
) -> None:
    api = raw_load("support")
    api.run()
    before = api.counts()

    assert api.run().loads_ids == []
    assert api.counts() == before
    resumed = fake_apis.zendesk.requests[3:]
    assert [(r.params, r.records) for r in resumed] == [
        ({"cursor": "WzMsIDBd", "include": "users"}, 0)
    ]


def test_ticket_changed_after_a_run_is_picked_up_by_the_next(
    raw_load: type[RawLoad], fake_apis: FakeApis, generated_landing: Path
) -> None:
    api = raw_load("support")
    api.run()
    page = json.loads((generated_landing / "support" / "page-000001.json").read_text())
    ticket = page["tickets"][0]
    requester = next(user for user in page["users"] if user["id"] == ticket["requester_id"])
    changed = {
        **ticket,
        "status": "solved",
        "updated_at": "2026-07-01T09:00:00Z",
        "generated_timestamp": 1782896400,
    }
    fake_apis.zendesk.api.add_ticket_version(changed, [requester])

    api.run()

    assert api.counts() == {"tickets": 190, "tickets_rejected": 6, "users": 54}
    assert [(r.params["cursor"], r.records) for r in fake_apis.zendesk.requests[3:]] == [
        ("WzMsIDBd", 1)
    ]
    # Staging's rule (latest generated_timestamp, then updated_at) now picks the new version.
    versions = api.rows(
        "select status, updated_at, file from raw_support.tickets "
        f"where id = {ticket['id']} order by generated_timestamp desc, updated_at desc"
    )
    assert len(versions) == 6  # five versions from the first run, one new
    assert versions[:2] == [
        ("solved", datetime(2026, 7, 1, 9, tzinfo=UTC), "api:zendesk/cursor=WzMsIDBd"),
        ("closed", datetime(2026, 6, 14, 6, 14, 24, tzinfo=UTC), "api:zendesk/start_time=0"),
    ]


def test_mode_keeps_the_resource_name(generated_landing: Path, fake_apis: FakeApis) -> None:
    # The Dagster asset key [raw_support, tickets] comes from this name, in both modes.
    source = CHANNEL_SOURCES["support"](generated_landing)
    assert list(source.resources) == ["tickets"]


def test_export_paginator_stops_at_end_of_stream() -> None:
    class Page:
        def __init__(self, body: dict[str, object]) -> None:
            self.body = body

        def json(self) -> dict[str, object]:
            return self.body

    paginator = ZendeskExportPaginator()
    paginator.update_state(Page({"after_url": "http://x/next", "end_of_stream": False}))  # type: ignore[arg-type]
    assert paginator.has_next_page
    paginator.update_state(Page({"after_url": "http://x/next", "end_of_stream": True}))  # type: ignore[arg-type]
    assert not paginator.has_next_page
