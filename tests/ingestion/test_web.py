"""Web channel: Segment events from gzip JSON lines."""

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from raw_load import RawLoad

from ingestion.parsing.emails import DEFAULT_TEST_EMAIL_PATTERNS
from ingestion.parsing.fields import Rejection
from ingestion.web import page_path, parse_event

TRUNCATED = "truncated_gzip: compressed stream ends before its end marker"


def gzip_landing(landing_dir: Path) -> None:
    """Land the readable `.jsonl` fixtures as the vendor's `.jsonl.gz`.

    `web/2026-06-02/part-0001` is cut inside its second gzip member (lines 3+), like an
    upload interrupted mid-stream.
    """
    for path in sorted(landing_dir.rglob("*.jsonl")):
        data = path.read_bytes()
        if path.parent.name == "2026-06-02":
            lines = data.splitlines(keepends=True)
            tail = gzip.compress(b"".join(lines[2:]))
            gz = gzip.compress(b"".join(lines[:2])) + tail[: len(tail) // 2]
        else:
            gz = gzip.compress(data)
        path.with_name(path.name + ".gz").write_bytes(gz)
        path.unlink()


@pytest.fixture
def web_run(channel_run: Callable[[str], RawLoad]) -> RawLoad:
    run = channel_run("web")
    gzip_landing(run.landing_dir)
    return run


def test_page_event_parses_to_exact_row() -> None:
    raw = {
        "type": "Page",
        "messageId": "m-1",
        "anonymousId": "a-1",
        "userId": None,
        "timestamp": "2026-06-01T12:00:00+02:00",
        "context": {
            "page": {"url": "https://example.com/blog/x?utm_medium=qr", "referrer": "r"},
            "campaign": {"source": "print", "medium": "qr"},
            "ip": "203.0.113.7",
        },
        "properties": {"title": "Blog"},
        "integrations": {},
    }
    assert parse_event(raw, DEFAULT_TEST_EMAIL_PATTERNS) == {
        "message_id": "m-1",
        "type": "page",
        "event": None,
        "anonymous_id": "a-1",
        "user_id": None,
        "timestamp": datetime(2026, 6, 1, 10, tzinfo=UTC),
        "received_at": None,
        "sent_at": None,
        "page_path": "/blog/x",
        "page_url": "https://example.com/blog/x?utm_medium=qr",
        "page_title": "Blog",
        "page_referrer": "r",
        "campaign_name": None,
        "campaign_source": "print",
        "campaign_medium": "qr",
        "campaign_term": None,
        "campaign_content": None,
        "ip": "203.0.113.7",
        "user_agent": None,
        "chat_topic": None,
        "trait_email": None,
        "trait_first_name": None,
        "trait_last_name": None,
        "trait_title": None,
        "trait_phone": None,
        "trait_country": None,
        "trait_company_name": None,
        "trait_company_industry": None,
        "trait_company_employee_count": None,
        "trait_company_annual_revenue": None,
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"properties": {"path": "/pricing"}, "context": {"page": {"path": "/x"}}}, "/pricing"),
        ({"properties": {}, "context": {"page": {"path": "/contact"}}}, "/contact"),
        ({"properties": {"url": "https://e.com/careers/dev?a=1"}}, "/careers/dev"),
        ({"context": {"page": {"url": "https://e.com"}}}, "/"),
        ({"properties": {"path": ""}}, "/"),
    ],
)
def test_page_path_falls_back_from_path_to_url_to_root(raw: dict, expected: str) -> None:
    assert page_path(raw) == expected


@pytest.mark.parametrize(
    ("raw", "rejection"),
    [
        (
            {"type": "group", "messageId": "g"},
            Rejection("filtered", "unsupported_type: type=group"),
        ),
        (
            {"type": "identify", "messageId": "i", "traits": {"email": " Test+x@Example.com"}},
            Rejection("filtered", "test_record: email matches test+*@*"),
        ),
        (
            {"type": "track", "timestamp": "2026-06-01T10:00:00Z", "anonymousId": "a"},
            Rejection("quarantined", "missing_field: messageId"),
        ),
        (
            {"type": 3, "messageId": "m", "timestamp": "2026-06-01T10:00:00Z", "anonymousId": "a"},
            Rejection("quarantined", "wrong_type: type not a string"),
        ),
        (
            {"type": "page", "messageId": "m", "timestamp": "2026-06-01T10:00:00Z", "userId": {}},
            Rejection("quarantined", "wrong_type: userId not a string or integer id"),
        ),
    ],
)
def test_filters_come_before_required_fields(raw: dict, rejection: Rejection) -> None:
    assert parse_event(raw, DEFAULT_TEST_EMAIL_PATTERNS) == rejection


def test_web_files_load_once_with_rejections_and_late_files(web_run: RawLoad) -> None:
    web_run.run()

    assert web_run.counts() == {"events": 8, "events_rejected": 8}
    assert web_run.rows(
        "select message_id, type, event, page_path from raw_web.events order by 1"
    ) == [
        ("m-001", "page", None, "/pricing"),
        ("m-002", "track", "Demo Requested", None),
        ("m-003", "identify", None, None),
        ("m-008", "track", "Pricing Calculator Used", None),
        ("m-011", "page", None, "/case-studies/acme"),
        ("m-012", "page", None, "/"),
        ("m-101", "page", None, "/product/scoring"),
        ("m-102", "track", "Chat Started", None),
    ]
    # The retried m-001 (line 4) collapses into the first delivery.
    assert web_run.rows(
        "select file, position, timestamp, campaign_source, trait_email, "
        "trait_company_employee_count, trait_company_annual_revenue "
        "from raw_web.events where message_id in ('m-001', 'm-003') order by message_id"
    ) == [
        (
            "web/2026-06-01/part-0001.jsonl.gz",
            1,
            datetime(2026, 6, 1, 10, tzinfo=UTC),
            "linkedin",
            None,
            None,
            None,
        ),
        (
            "web/2026-06-01/part-0001.jsonl.gz",
            3,
            datetime(2026, 6, 1, 10, 6, tzinfo=UTC),
            None,
            "  Ada.Lovelace@Example.COM ",
            250,
            1200000.5,
        ),
    ]
    day1 = "web/2026-06-01/part-0001.jsonl.gz"
    assert web_run.rejected("events_rejected") == [
        (
            day1,
            "event",
            5,
            "quarantined",
            "not_json: Expecting property name enclosed in double quotes line 1 col 40",
        ),
        (day1, "event", 6, "quarantined", "missing_field: timestamp"),
        (day1, "event", 7, "quarantined", "wrong_type: timestamp not ISO-8601"),
        (day1, "event", 9, "filtered", "unsupported_type: type=screen"),
        (day1, "event", 10, "filtered", "test_record: email matches qa+*@*"),
        (day1, "event", 13, "quarantined", "missing_field: anonymousId or userId"),
        (
            day1,
            "event",
            14,
            "quarantined",
            "wrong_type: timestamp impossible timestamp 1999-12-31T23:59:59Z",
        ),
        ("web/2026-06-02/part-0001.jsonl.gz", "event", 3, "quarantined", TRUNCATED),
    ]
    assert web_run.rows("select raw from raw_web.events_rejected where position = 5") == [
        ('{"type": "page", "messageId": "m-005", ',)
    ]

    before = web_run.snapshot()
    assert web_run.run().loads_ids == []
    assert web_run.snapshot() == before

    late = web_run.landing_dir / "web" / "2026-06-03" / "part-0001.jsonl.gz"
    late.parent.mkdir()
    late.write_bytes(
        gzip.compress(
            b'{"type": "page", "messageId": "m-201", "anonymousId": "a-7", '
            b'"timestamp": "2026-05-30T08:00:00Z", "properties": {"path": "/contact"}}\n'
            b'{"type": "page", "messageId": "m-001", "anonymousId": "a-1", '
            b'"timestamp": "2026-06-01T10:00:00Z"}\n'
        )
    )
    info = web_run.run()
    assert len(info.loads_ids) == 1
    assert web_run.counts() == {"events": 9, "events_rejected": 8}
    assert web_run.rows(
        "select message_id, file, position from raw_web.events where _dlt_load_id = "
        f"'{info.loads_ids[0]}' order by 1"
    ) == [
        ("m-001", "web/2026-06-03/part-0001.jsonl.gz", 2),
        ("m-201", "web/2026-06-03/part-0001.jsonl.gz", 1),
    ]


def test_custom_test_patterns_replace_the_defaults(web_run: RawLoad) -> None:
    web_run.run(test_email_patterns=["*@example.com"])

    assert web_run.counts() == {"events": 7, "events_rejected": 9}
    assert web_run.rows(
        "select position, reason from raw_web.events_rejected "
        "where disposition = 'filtered' order by position"
    ) == [
        (3, "test_record: email matches *@example.com"),
        (9, "unsupported_type: type=screen"),
        (10, "test_record: email matches *@example.com"),
    ]
