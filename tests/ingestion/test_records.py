"""Shared helpers: typed field parsing, emails, landing-file reading."""

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ingestion.parsing.emails import (
    DEFAULT_TEST_EMAIL_PATTERNS,
    matches_test_pattern,
    normalize_email,
    resolve_test_patterns,
)
from ingestion.parsing.fields import (
    FieldError,
    Rejection,
    as_bigint,
    as_date,
    parse_epoch_millis,
    parse_epoch_seconds,
    parse_iso_timestamp,
)
from ingestion.parsing.readers import (
    LandingFile,
    gunzip_tolerant,
    list_landing_files,
    read_csv_records,
    read_json_lines,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-29T10:00:00Z", datetime(2026, 6, 29, 10, tzinfo=UTC)),
        ("2026-06-29T10:00:00.000+0000", datetime(2026, 6, 29, 10, tzinfo=UTC)),
        ("2026-06-29T12:30:00+02:00", datetime(2026, 6, 29, 10, 30, tzinfo=UTC)),
        ("2026-06-29T10:00:00.123Z", datetime(2026, 6, 29, 10, 0, 0, 123000, tzinfo=UTC)),
        ("2026-06-29T10:00:00", datetime(2026, 6, 29, 10, tzinfo=UTC)),
    ],
)
def test_iso_timestamps_become_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_iso_timestamp(text, "ts")
    assert parsed == expected
    assert parsed.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("yesterday", "wrong_type: ts not ISO-8601"),
        (1782727200, "wrong_type: ts not ISO-8601"),
        ("1999-12-31T23:59:59Z", "wrong_type: ts impossible timestamp 1999-12-31T23:59:59Z"),
        ("2300-01-01T00:00:00Z", "wrong_type: ts impossible timestamp 2300-01-01T00:00:00Z"),
    ],
)
def test_impossible_or_unparseable_iso_timestamps_are_wrong_type(
    value: object, reason: str
) -> None:
    with pytest.raises(FieldError) as error:
        parse_iso_timestamp(value, "ts")
    assert error.value.rejection == Rejection("quarantined", reason)


def test_epoch_seconds_accept_integers_and_numeric_strings() -> None:
    expected = datetime(2026, 6, 29, 10, tzinfo=UTC)
    assert parse_epoch_seconds(1782727200, "ts") == expected
    assert parse_epoch_seconds("1782727200", "ts") == expected
    assert parse_epoch_millis(1782727200000, "ts") == expected
    assert parse_epoch_millis("1782727200500", "ts") == datetime(
        2026, 6, 29, 10, 0, 0, 500000, tzinfo=UTC
    )
    assert parse_epoch_seconds(None, "ts") is None


def test_epoch_zero_and_text_are_rejected() -> None:
    with pytest.raises(FieldError, match="wrong_type: ts impossible timestamp 0"):
        parse_epoch_seconds(0, "ts")
    with pytest.raises(FieldError, match="wrong_type: ts not epoch seconds"):
        parse_epoch_seconds("soon", "ts")
    with pytest.raises(FieldError, match="wrong_type: ts not epoch milliseconds"):
        parse_epoch_millis(True, "ts")


def test_ids_stay_exact_beyond_float_precision() -> None:
    assert as_bigint(9007199254740993, "id") == 9007199254740993
    assert as_bigint("9007199254740993", "id") == 9007199254740993
    with pytest.raises(FieldError, match="wrong_type: id not an integer"):
        as_bigint(12.5, "id")
    with pytest.raises(FieldError, match="wrong_type: id not an integer"):
        as_bigint(True, "id")


def test_dates_are_calendar_dates() -> None:
    assert as_date("2026-06-20", "d") == date(2026, 6, 20)
    with pytest.raises(FieldError, match="wrong_type: d not an ISO date"):
        as_date("20/06/2026", "d")


def test_emails_are_trimmed_and_lowercased() -> None:
    assert normalize_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"
    assert normalize_email("   ") is None
    assert normalize_email(42) is None


@pytest.mark.parametrize(
    ("email", "pattern"),
    [
        ("someone@Mailinator.com", "*@mailinator.com"),
        (" TEST+lead@example.com ", "test+*@*"),
        ("qa+bot@example.com", "qa+*@*"),
        ("someone@mailinator.com.evil.org", None),
        ("contest+x@example.com", None),
        ("ada@example.com", None),
        (None, None),
    ],
)
def test_test_patterns_match_the_whole_address(email: str | None, pattern: str | None) -> None:
    assert matches_test_pattern(email, DEFAULT_TEST_EMAIL_PATTERNS) == pattern


def test_empty_pattern_list_disables_the_test_filter() -> None:
    assert resolve_test_patterns(None) == ("*@mailinator.com", "test+*@*", "qa+*@*")
    assert resolve_test_patterns([]) == ()
    assert resolve_test_patterns(["*@example.com"]) == ("*@example.com",)


def test_cut_gzip_keeps_the_complete_members_and_the_partial_text() -> None:
    second = gzip.compress(b'{"c": 3}\n' * 50)
    data = gzip.compress(b'{"a": 1}\n{"b": 2}\n') + second[: len(second) - 10]
    text, fault = gunzip_tolerant(data)
    assert text.startswith(b'{"a": 1}\n{"b": 2}\n{"c": 3}\n')
    assert fault == "truncated_gzip: compressed stream ends before its end marker"
    assert gunzip_tolerant(gzip.compress(b"x\n")) == (b"x\n", None)


def test_truncated_gzip_lines_before_the_break_are_read(tmp_path: Path) -> None:
    path = tmp_path / "web" / "part.jsonl.gz"
    path.parent.mkdir()
    tail = gzip.compress(b'{"n": 3}\n')
    path.write_bytes(gzip.compress(b'{"n": 1}\n\n{"n": 2}\n') + tail[:12])
    records = list(read_json_lines(LandingFile(path, "web/part.jsonl.gz"), "event"))
    assert [(r.position, r.value, r.fault) for r in records] == [
        (1, {"n": 1}, None),
        (3, {"n": 2}, None),
        (
            4,
            None,
            Rejection(
                "quarantined", "truncated_gzip: compressed stream ends before its end marker"
            ),
        ),
    ]


def test_excel_csv_with_bom_crlf_quoted_newlines_and_blank_tail(tmp_path: Path) -> None:
    path = tmp_path / "scans.csv"
    path.write_bytes(
        b'\xef\xbb\xbfName,Notes\r\nAda,"line one\r\nline, two"\r\n\r\nGrace,\r\n,\r\n\r\n'
    )
    records = list(read_csv_records(LandingFile(path, "booth/x/scans.csv"), "scan"))
    assert [(r.position, r.value) for r in records] == [
        (1, {"Name": "Ada", "Notes": "line one\r\nline, two"}),
        (2, {"Name": "Grace", "Notes": ""}),
    ]


def test_landing_files_are_listed_by_relative_path(tmp_path: Path) -> None:
    for name in ("web/2026-06-02/a.jsonl.gz", "web/2026-06-01/b.jsonl.gz", "web/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    listed = list_landing_files(tmp_path, "web", (".jsonl.gz",))
    assert [f.relative for f in listed] == [
        "web/2026-06-01/b.jsonl.gz",
        "web/2026-06-02/a.jsonl.gz",
    ]
    assert list_landing_files(tmp_path, "email", (".json",)) == []
