"""Email channel: SendGrid Event Webhook batches."""

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime

from raw_load import RawLoad

from ingestion.email import parse_event
from ingestion.parsing.emails import DEFAULT_TEST_EMAIL_PATTERNS
from ingestion.parsing.fields import Rejection

LEGACY_OPEN = {
    "email": "grace@example.com",
    "event": "open",
    "timestamp": 1780308200,
    "category": "promo",
    "useragent": "Mozilla/5.0 (Macintosh)",
    "ip": "198.51.100.2",
}
LEGACY_KEY = hashlib.sha256(
    json.dumps(LEGACY_OPEN, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
).hexdigest()


def test_legacy_event_key_is_the_sha256_of_its_canonical_json() -> None:
    row = parse_event(LEGACY_OPEN, DEFAULT_TEST_EMAIL_PATTERNS)
    assert row["sg_event_id"] == LEGACY_KEY
    assert LEGACY_KEY == "67fb13245ac7f0db1fcfbecc1addee071c65f96d86b748bf5807121a915f7b68"
    assert row["is_event_id_derived"] is True


def test_click_parses_to_exact_row() -> None:
    raw = {
        "email": " Ada@Example.com",
        "event": "Click",
        "timestamp": "1780308150",
        "sg_event_id": "ev-3",
        "smtp-id": "<m@x>",
        "category": ["newsletter", "june"],
        "url": "https://example.com/pricing",
        "marketing_campaign_id": 12345,
        "sg_machine_open": False,
        "tenant": "custom-arg",
    }
    assert parse_event(raw, DEFAULT_TEST_EMAIL_PATTERNS) == {
        "sg_event_id": "ev-3",
        "is_event_id_derived": False,
        "email": " Ada@Example.com",
        "event": "click",
        "timestamp": datetime(2026, 6, 1, 10, 2, 30, tzinfo=UTC),
        "sg_message_id": None,
        "smtp_id": "<m@x>",
        "category": "newsletter,june",
        "url": "https://example.com/pricing",
        "reason": None,
        "status": None,
        "bounce_type": None,
        "marketing_campaign_id": "12345",
        "marketing_campaign_name": None,
        "is_machine_open": False,
    }


def test_unknown_event_is_filtered_before_the_missing_email() -> None:
    assert parse_event({"event": "account_suspended"}, DEFAULT_TEST_EMAIL_PATTERNS) == Rejection(
        "filtered", "unsupported_event: event=account_suspended"
    )


def test_email_batches_load_once(channel_run: Callable[[str], RawLoad]) -> None:
    run = channel_run("email")
    run.run()

    assert run.counts() == {"events": 5, "events_rejected": 6}
    assert run.rows(
        "select sg_event_id, is_event_id_derived, event, position, category, is_machine_open "
        "from raw_email.events order by position"
    ) == [
        ("ev-1", False, "delivered", 1, "newsletter,june", False),
        ("ev-2", False, "open", 2, "", True),
        ("ev-3", False, "click", 3, "newsletter", False),
        (LEGACY_KEY, True, "open", 5, "promo", False),
        ("ev-11", False, "bounce", 11, None, False),
    ]
    assert run.rows(
        "select timestamp, bounce_type from raw_email.events where sg_event_id = 'ev-11'"
    ) == [(datetime(2026, 6, 1, 10, 6, 40, tzinfo=UTC), "blocked")]
    batch = "email/batch-0001.json"
    assert run.rejected("events_rejected") == [
        (batch, "event", 7, "filtered", "unsupported_event: event=account_status_change"),
        (batch, "event", 8, "filtered", "test_record: email matches *@mailinator.com"),
        (batch, "event", 9, "quarantined", "missing_field: email"),
        (batch, "event", 10, "quarantined", "wrong_type: timestamp not epoch seconds"),
        (batch, "event", 12, "quarantined", "wrong_type: event not a JSON object"),
        (
            "email/batch-0003.json",
            "file",
            0,
            "quarantined",
            "not_json: Expecting value line 1 col 38",
        ),
    ]

    before = run.snapshot()
    assert run.run().loads_ids == []
    assert run.snapshot() == before

    # A byte-identical retry of the legacy event in a later batch stays one row.
    (run.landing_dir / "email" / "batch-0005.json").write_text(
        json.dumps([LEGACY_OPEN, {**LEGACY_OPEN, "event": "click", "url": "https://e.com"}])
    )
    info = run.run()
    assert run.counts() == {"events": 6, "events_rejected": 6}
    assert run.rows(
        "select event, is_event_id_derived, file, position from raw_email.events "
        f"where _dlt_load_id = '{info.loads_ids[0]}' order by position"
    ) == [
        ("open", True, "email/batch-0005.json", 1),
        ("click", True, "email/batch-0005.json", 2),
    ]
