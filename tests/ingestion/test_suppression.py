"""Suppression on read: records of erased people are counted, never stored."""

from collections.abc import Callable

from raw_load import RawLoad

from ingestion.suppression import (
    SuppressionList,
    record_candidates,
    screening,
    suppressed_hashes,
)

SALT = b"test-salt"


def test_candidates_cover_whole_values_tokens_urls_and_urns() -> None:
    text = '{"url": "https://x.io/p?email=J%40X.com&u=1", "who": "mailto:Ann@Y.org."}'
    value = {
        "requester_id": 370000000001,
        "name": " Ann@Y.org ",
        "nested": [{"urn": "urn:li:person:Ab"}],
    }
    candidates = record_candidates(text, value)
    assert {"j@x.com", "ann@y.org", "370000000001", "urn:li:person:ab"} <= candidates
    assert "x.com" not in candidates  # a domain alone is not a token of that address


def test_numbers_count_only_where_they_name_a_user() -> None:
    ticket = {"id": 37, "requester_id": 38, "via": {"assignee_id": "39"}, "count": "40"}
    user = {"id": 41, "email": "a@b.io"}
    assert {"37", "40"}.isdisjoint(record_candidates('{"id": 37}', ticket))
    assert {"38", "39"} <= record_candidates("", ticket)
    assert "41" in record_candidates("", user)


def test_an_empty_list_matches_nothing() -> None:
    assert not SuppressionList(SALT, frozenset()).matches("a@b.c", {"email": "a@b.c"})


def test_booth_rows_of_suppressed_people_are_counted_and_not_kept(
    channel_run: Callable[[str], RawLoad],
) -> None:
    run = channel_run("booth")
    # Ada is a good row (her address in odd case and spaces), Tim a quarantined one.
    hashes = suppressed_hashes(SALT, ["ada.lovelace@example.com", "tim@example.com"])
    with screening(SuppressionList(SALT, hashes)):
        run.run()
    assert run.rows(
        "select file, delivered, emitted, quarantined, filtered, suppressed "
        "from raw_booth.scans_deliveries order by file"
    ) == [
        ("booth/saastr-2026/scans-day1.csv", 7, 1, 3, 1, 2),
        ("booth/web-summit-2026/scans.csv", 1, 1, 0, 0, 0),
    ]
    kept = run.rows(
        "select count(*) from ("
        "select email_address as t from raw_booth.scans "
        "union all select raw from raw_booth.scans_rejected"
        ") where lower(t) like '%ada.lovelace%' or lower(t) like '%tim@%'"
    )
    assert kept == [(0,)]


def test_without_screening_nothing_is_suppressed(
    channel_run: Callable[[str], RawLoad],
) -> None:
    run = channel_run("booth")
    run.run()
    assert run.rows("select sum(suppressed) from raw_booth.scans_deliveries") == [(0,)]
