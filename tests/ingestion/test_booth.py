"""Booth channel: badge-scan CSV exports, one folder per event."""

from collections.abc import Callable
from datetime import UTC, datetime

from raw_load import RawLoad

from ingestion.booth import parse_scan, scan_key
from ingestion.parsing.emails import DEFAULT_TEST_EMAIL_PATTERNS
from ingestion.parsing.fields import Rejection

HEADER = (
    "First Name,Last Name,Email Address,Company,Job Title,Phone,Country,"
    "Scan Timestamp,Scanned By,Rating,Notes,Q: Timeline,Q: Budget"
)


def test_scan_key_names_event_file_and_record() -> None:
    assert scan_key("booth/saastr-2026/scans-day1.csv", 4) == (
        "saastr-2026/scans-day1.csv#4",
        "saastr-2026",
    )


def test_scan_without_email_but_with_names_loads() -> None:
    raw = dict.fromkeys(HEADER.split(","), "")
    raw.update(
        {
            "First Name": "Grace",
            "Last Name": "Hopper",
            "Scan Timestamp": "2026-06-10T09:20:00-04:00",
        }
    )
    row = parse_scan(raw, "booth/expo/a.csv", 2, DEFAULT_TEST_EMAIL_PATTERNS)
    assert row["scan_key"] == "expo/a.csv#2"
    assert row["email_address"] is None
    assert row["scanned_at"] == datetime(2026, 6, 10, 13, 20, tzinfo=UTC)
    assert parse_scan(
        {"Last Name": "Hopper", "Scan Timestamp": "2026-06-10T09:20:00Z"}, "booth/e/a.csv", 1, ()
    ) == (Rejection("quarantined", "missing_field: Email Address or First Name and Last Name"))


def test_booth_csvs_load_once(channel_run: Callable[[str], RawLoad]) -> None:
    run = channel_run("booth")
    run.run()

    assert run.counts() == {"scans": 3, "scans_rejected": 5}
    assert run.rows(
        "select scan_key, event_slug, email_address, company, scanned_at, notes, position "
        "from raw_booth.scans order by scan_key"
    ) == [
        (
            "saastr-2026/scans-day1.csv#1",
            "saastr-2026",
            " Ada.Lovelace@Example.com ",
            "Analytical Engines, Ltd",
            datetime(2026, 6, 10, 7, 15, tzinfo=UTC),
            "Wants a demo\r\nnext week",
            1,
        ),
        (
            "saastr-2026/scans-day1.csv#2",
            "saastr-2026",
            None,
            "US Navy",
            datetime(2026, 6, 10, 7, 20, tzinfo=UTC),
            None,
            2,
        ),
        (
            "web-summit-2026/scans.csv#1",
            "web-summit-2026",
            "margaret@example.com",
            "MIT",
            datetime(2026, 11, 3, 14, tzinfo=UTC),
            'Asked about "pricing"',
            1,
        ),
    ]
    day1 = "booth/saastr-2026/scans-day1.csv"
    assert run.rejected("scans_rejected") == [
        (
            day1,
            "scan",
            3,
            "quarantined",
            "missing_field: Email Address or First Name and Last Name",
        ),
        (day1, "scan", 4, "filtered", "test_record: email matches qa+*@*"),
        (day1, "scan", 5, "quarantined", "wrong_type: Scan Timestamp not ISO-8601"),
        (day1, "scan", 6, "quarantined", "missing_field: Scan Timestamp"),
        (day1, "scan", 7, "quarantined", "wrong_type: 14 fields, header has 13"),
    ]

    before = run.snapshot()
    assert run.run().loads_ids == []
    assert run.snapshot() == before

    (run.landing_dir / "booth" / "saastr-2026" / "scans-day3.csv").write_bytes(
        (HEADER + "\r\nLin,Clark,lin@example.com,,,,,2026-06-12T10:00:00+02:00,,,,,\r\n").encode()
    )
    run.run()
    assert run.counts() == {"scans": 4, "scans_rejected": 5}
    assert run.rows(
        "select scan_key from raw_booth.scans where email_address = 'lin@example.com'"
    ) == [("saastr-2026/scans-day3.csv#1",)]
