"""Support channel: Zendesk incremental export pages with sideloaded users."""

from collections.abc import Callable
from datetime import UTC, datetime

from raw_load import RawLoad

from ingestion.parsing.emails import DEFAULT_TEST_EMAIL_PATTERNS
from ingestion.parsing.fields import Rejection
from ingestion.support import parse_ticket, parse_user

TICKET_ID = 9007199254740993  # beyond 2**53: exact only as BIGINT


def test_ticket_parses_to_exact_row() -> None:
    raw = {
        "id": "1004",
        "created_at": "2026-06-03T10:00:00Z",
        "status": "new",
        "tags": ["bug"],
        "requester_id": 2003,
        "via": {"channel": "web_widget"},
        "satisfaction_rating": {"score": "offered"},
    }
    assert parse_ticket(raw) == {
        "id": 1004,
        "created_at": datetime(2026, 6, 3, 10, tzinfo=UTC),
        "updated_at": datetime(2026, 6, 3, 10, tzinfo=UTC),
        "subject": None,
        "description": None,
        "status": "new",
        "priority": None,
        "type": None,
        "tags": ["bug"],
        "requester_id": 2003,
        "via_channel": "web_widget",
        "satisfaction_score": "offered",
        "generated_timestamp": None,
    }


def test_deleted_ticket_is_filtered_and_test_user_is_filtered() -> None:
    assert parse_ticket({"id": 1, "status": "deleted"}) == Rejection(
        "filtered", "deleted_ticket: status=deleted"
    )
    assert parse_ticket({"id": 1, "requester_id": 2}) == Rejection(
        "quarantined", "missing_field: updated_at"
    )
    assert parse_user({"id": 5, "email": "QA+x@y.com"}, DEFAULT_TEST_EMAIL_PATTERNS) == Rejection(
        "filtered", "test_record: email matches qa+*@*"
    )


def test_support_pages_keep_every_ticket_version(channel_run: Callable[[str], RawLoad]) -> None:
    run = channel_run("support")
    run.run()

    assert run.counts() == {"tickets": 3, "tickets_rejected": 4, "users": 2}
    assert run.rows(
        "select id, updated_at, status, tags, requester_id, satisfaction_score, file "
        "from raw_support.tickets order by id, updated_at"
    ) == [
        (
            1004,
            datetime(2026, 6, 3, 10, tzinfo=UTC),
            "new",
            "[]",
            2003,
            "good",
            "support/page-0001.json",
        ),
        (
            TICKET_ID,
            datetime(2026, 6, 3, 8, tzinfo=UTC),
            "open",
            '["pre-sales","pricing"]',
            9007199254740995,
            None,
            "support/page-0001.json",
        ),
        (
            TICKET_ID,
            datetime(2026, 6, 4, 15, tzinfo=UTC),
            "solved",
            '["pre-sales","pricing"]',
            9007199254740995,
            "bad",
            "support/page-0002.json",
        ),
    ]
    # The requester of a ticket stays even when another user is filtered; the user sideloaded
    # on both pages is one row, from the later page.
    assert run.rows("select id, email, role, file from raw_support.users order by id") == [
        (2003, "agent@acme-support.com", "agent", "support/page-0001.json"),
        (9007199254740995, " Ada.Lovelace@Example.com ", "end-user", "support/page-0002.json"),
    ]
    page = "support/page-0001.json"
    assert run.rejected("tickets_rejected") == [
        (page, "ticket", 2, "filtered", "deleted_ticket: status=deleted"),
        (page, "ticket", 3, "quarantined", "missing_field: requester_id"),
        (page, "ticket", 5, "quarantined", "wrong_type: id not an integer"),
        (page, "user", 2, "filtered", "test_record: email matches test+*@*"),
    ]
    assert run.rows(
        "select column_name, data_type from information_schema.columns where table_schema = "
        "'raw_support' and table_name = 'tickets' and column_name in "
        "('id', 'updated_at', 'tags', 'generated_timestamp') order by 1"
    ) == [
        ("generated_timestamp", "BIGINT"),
        ("id", "BIGINT"),
        ("tags", "JSON"),
        ("updated_at", "TIMESTAMP WITH TIME ZONE"),
    ]

    before = run.snapshot()
    assert run.run().loads_ids == []
    assert run.snapshot() == before

    (run.landing_dir / "support" / "page-0003.json").write_text(
        '{"tickets": [{"id": 1004, "created_at": "2026-06-03T10:00:00Z", '
        '"updated_at": "2026-06-05T10:00:00Z", "status": "closed", "requester_id": 2003}], '
        '"users": [], "end_of_stream": true}'
    )
    run.run()
    assert run.counts() == {"tickets": 4, "tickets_rejected": 4, "users": 2}
    assert run.rows("select status from raw_support.tickets where id = 1004 order by 1") == [
        ("closed",),
        ("new",),
    ]
