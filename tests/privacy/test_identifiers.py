"""The pure side of erasure: identifiers, the row pattern, redaction, the report."""

import re
from datetime import UTC, datetime

import duckdb
import pytest

from orchestration.privacy.forget import ErasureReport
from orchestration.privacy.identifiers import (
    match_pattern,
    numeric_values,
    person_from_keys,
    redact,
)

PERSON = person_from_keys(
    "abc123",
    [
        ("email", " J.Doe@X.co "),
        ("anonymous_id", "9f1c-44"),
        ("zendesk_user_id", "370000000007"),
        ("email", "j.doe@x.co"),
        ("crm_lead_id", None),
    ],
)


def test_keys_are_normalized_once_and_blanks_dropped() -> None:
    assert PERSON.values == ("370000000007", "9f1c-44", "j.doe@x.co")


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("j.doe@x.co", True),
        ('{"email":"J.DOE@X.CO"}', True),
        ("https://x.io/?e=j.doe%40x.co&u=1", True),
        ("write to j.doe@x.co.", True),
        ("mailto:j.doe@x.co", True),
        ("aj.doe@x.co", False),  # another address that ends like theirs
        ("j.doe@x.co.uk", False),  # another domain that starts like theirs
        ("user 3700000000071", False),  # a longer number
        ("9f1c-44", True),
        ("9f1c-445", False),
    ],
)
def test_the_pattern_matches_whole_tokens_only(text: str, matches: bool) -> None:
    pattern = match_pattern(PERSON.values)
    assert bool(re.search(pattern, text.lower())) is matches
    # the same pattern in DuckDB's RE2, as the erasure runs it
    found = duckdb.execute("select regexp_matches(lower(?), ?)", [text, pattern]).fetchall()
    assert found == [(matches,)]


def test_numeric_values_are_the_integer_ids() -> None:
    assert numeric_values(PERSON.values) == [370000000007]


def test_redact_removes_every_spelling_in_any_case() -> None:
    reason = "Request from J.Doe@X.co (ticket about j.doe%40x.co)"
    assert redact(reason, PERSON.values) == "Request from [erased] (ticket about [erased])"


def test_report_lines_name_tables_and_counts_but_no_identifier() -> None:
    report = ErasureReport(
        request_id="r-1",
        requested_at=datetime(2026, 6, 30, tzinfo=UTC),
        lead_id_hash="h",
        identifier_counts={"email": 1, "anonymous_id": 2},
        rows_removed={"raw_web.events": 12, "marts.lead_scores": 1},
        manifest_rows_suppressed=12,
    )
    text = "\n".join(report.lines())
    assert "marts.lead_scores" in text and "12 rows" in text
    assert "total 13 rows in 2 tables" in text
    assert "2 anonymous_id, 1 email" in text
