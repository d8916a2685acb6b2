"""The synthetic landing zone: deterministic, in the vendors' shapes, and true to its ground truth.

`_expected_outcomes` re-reads every landing file with the spec's ingestion rules (filters
first, then required fields, then dedupe / latest version) independently of the generator,
and the tests compare its verdict with records.csv row by row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from ingestion.generator import LandingZoneNotEmptyError, generate_landing_zone, truth_dir_for
from ingestion.generator.writers import BOOTH_HEADER

END = date(2026, 6, 30)
TEST_PATTERNS = ("*@mailinator.com", "test+*@*", "qa+*@*")
EMAIL_EVENTS = {
    "processed",
    "dropped",
    "delivered",
    "deferred",
    "bounce",
    "open",
    "click",
    "spamreport",
    "unsubscribe",
    "group_unsubscribe",
    "group_resubscribe",
}


def _generate(path: Path, **kwargs: Any) -> Path:
    generate_landing_zone(path, end_date=END, **kwargs)
    return path


@pytest.fixture(scope="module")
def dirty_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("dirty") / "landing", leads=400, days=60, seed=11)


@pytest.fixture(scope="module")
def clean_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(
        tmp_path_factory.mktemp("clean") / "landing", leads=400, days=60, seed=11, dirty=False
    )


@pytest.fixture(scope="module")
def big_clean_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(
        tmp_path_factory.mktemp("big") / "landing", leads=3000, days=90, seed=5, dirty=False
    )


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _is_test_email(value: Any) -> bool:
    email = str(value or "").strip().lower()
    return any(fnmatch(email, pattern) for pattern in TEST_PATTERNS)


def _parses_iso(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return False
    return True


# -- reading the landing zone like the ingestion does ------------------------------------------
def _web_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, text) per line; text None for the line where the gzip stream breaks."""
    data = path.read_bytes()
    text, broken = b"", False
    while data:
        decompressor = zlib.decompressobj(wbits=31)
        text += decompressor.decompress(data)
        if not decompressor.eof:
            broken = True
            text = text[: text.rfind(b"\n") + 1]  # the partial line is lost with the member
            break
        data = decompressor.unused_data
    lines = text.decode("utf-8").splitlines()
    yield from enumerate(lines, start=1)
    if broken:
        yield len(lines) + 1, None


def _web_verdict(row: dict[str, Any] | None) -> tuple[str, str]:
    if row is None:
        return "quarantined", ""
    if row.get("type") not in ("page", "track", "identify"):
        return "filtered", ""
    if row["type"] == "identify" and _is_test_email((row.get("traits") or {}).get("email")):
        return "filtered", ""
    if not row.get("messageId") or not (row.get("anonymousId") or row.get("userId")):
        return "quarantined", ""
    if not _parses_iso(row.get("timestamp")):
        return "quarantined", ""
    return "keyed", row["messageId"]


def _email_verdict(event: dict[str, Any]) -> tuple[str, str]:
    if str(event.get("event", "")).lower() not in EMAIL_EVENTS:
        return "filtered", ""
    if _is_test_email(event.get("email")):
        return "filtered", ""
    stamp = event.get("timestamp")
    if not event.get("email") or not (isinstance(stamp, int) or str(stamp).isdigit()):
        return "quarantined", ""
    if event.get("sg_event_id"):
        return "keyed", event["sg_event_id"]
    text = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "keyed", hashlib.sha256(text.encode("utf-8")).hexdigest()


def _expected_outcomes(root: Path) -> dict[tuple[str, int, str], str]:
    """(file, position, entity) -> loaded | duplicate | superseded | quarantined | filtered."""
    verdicts: dict[tuple[str, int, str], str] = {}
    keyed: list[tuple[tuple[str, int, str], str, tuple[Any, ...]]] = []  # (row, key, version)
    order = 0

    def keep(
        where: tuple[str, int, str], verdict: tuple[str, str], version: tuple[Any, ...]
    ) -> None:
        nonlocal order
        order += 1
        if verdict[0] == "keyed":
            keyed.append((where, f"{where[2]}:{verdict[1]}", (*version, order)))
        else:
            verdicts[where] = verdict[0]

    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        source = relative.split("/")[0]
        if source == "web":
            for number, text in _web_lines(path):
                try:
                    row = json.loads(text) if text is not None else None
                except json.JSONDecodeError:
                    row = None
                if row is not None and not isinstance(row, dict):
                    row = None
                keep((relative, number, "event"), _web_verdict(row), ())
            continue
        raw = path.read_bytes()
        if not raw:
            continue
        if source == "booth":
            assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(BOOTH_HEADER)
            reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
            records = [r for r in reader if any(v for v in r.values())]
            for number, scan in enumerate(records, start=1):
                where = (relative, number, "scan")
                email = scan["Email Address"]
                if _is_test_email(email):
                    keep(where, ("filtered", ""), ())
                elif not _parses_iso(scan["Scan Timestamp"]) or not (
                    email or (scan["First Name"] and scan["Last Name"])
                ):
                    keep(where, ("quarantined", ""), ())
                else:
                    keep(where, ("keyed", f"{relative}#{number}"), ())
            continue
        page = json.loads(raw)
        if source == "email":
            assert isinstance(page, list)
            for number, event in enumerate(page, start=1):
                keep((relative, number, "event"), _email_verdict(event), ())
        elif source == "support":
            assert {"tickets", "users", "after_cursor", "end_of_stream"} <= page.keys()
            for number, ticket in enumerate(page["tickets"], start=1):
                where = (relative, number, "ticket")
                if ticket.get("status") == "deleted":
                    keep(where, ("filtered", ""), ())
                elif not isinstance(ticket.get("requester_id"), int) or "id" not in ticket:
                    keep(where, ("quarantined", ""), ())
                else:
                    version = (ticket["generated_timestamp"], ticket["updated_at"])
                    keep(where, ("keyed", str(ticket["id"])), version)
            for number, user in enumerate(page["users"], start=1):
                where = (relative, number, "user")
                if _is_test_email(user.get("email")):
                    keep(where, ("filtered", ""), ())
                else:
                    keep(where, ("keyed", str(user["id"])), ())
        elif source == "social":
            kind = relative.split("/")[1]
            assert {"elements", "paging"} <= page.keys()
            for number, element in enumerate(page["elements"], start=1):
                created = element.get("created") or {}
                if kind == "forms":
                    where = (relative, number, "form")
                    keep(where, ("keyed", f"{element['id']}:{element['versionId']}"), ())
                elif kind == "responses":
                    where = (relative, number, "response")
                    if element.get("testLead") or element.get("submitter") == "urn:li:person:0":
                        keep(where, ("filtered", ""), ())
                    elif not isinstance(element.get("submittedAt"), int):
                        keep(where, ("quarantined", ""), ())
                    else:
                        keep(where, ("keyed", element["id"]), ())
                elif kind == "reactions":
                    where = (relative, number, "reaction")
                    if not str(created.get("actor", "")).startswith("urn:li:person:"):
                        keep(where, ("filtered", ""), ())
                    elif not isinstance(created.get("time"), int):
                        keep(where, ("quarantined", ""), ())
                    else:
                        keep(where, ("keyed", element["id"]), (element["lastModified"]["time"],))
                else:
                    where = (relative, number, "comment")
                    if not element.get("actor") or not isinstance(created.get("time"), int):
                        keep(where, ("quarantined", ""), ())
                    else:
                        keep(where, ("keyed", element["id"]), (element["lastModified"]["time"],))
        elif source == "crm":
            kind = relative.split("/")[1]
            entity = {"leads": "lead", "opportunities": "opportunity", "tasks": "task"}[kind]
            assert {"totalSize", "done", "records"} <= page.keys()
            assert ("nextRecordsUrl" in page) is not page["done"]
            for number, record in enumerate(page["records"], start=1):
                where = (relative, number, entity)
                assert record["attributes"]["type"].lower() == entity
                stamp = record.get("CreatedDate" if entity == "task" else "LastModifiedDate")
                if entity == "lead" and _is_test_email(record.get("Email")):
                    keep(where, ("filtered", ""), ())
                elif not record.get("Id") or not _parses_iso(stamp):
                    keep(where, ("quarantined", ""), ())
                else:
                    keep(where, ("keyed", record["Id"]), (record["LastModifiedDate"],))
    latest: dict[str, tuple[Any, ...]] = {}
    for _, key, version in keyed:
        if key not in latest or version[:-1] > latest[key][:-1]:
            latest[key] = version
    seen: set[tuple[str, tuple[Any, ...]]] = set()
    for where, key, version in keyed:
        if version[:-1] != latest[key][:-1]:
            verdicts[where] = "superseded"
        elif (key, version[:-1]) in seen:
            verdicts[where] = "duplicate"
        else:
            verdicts[where] = "loaded"
        seen.add((key, version[:-1]))
    return verdicts


# -- tests ----------------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes(tmp_path: Path, dirty_zone: Path) -> None:
    again = _generate(tmp_path / "again" / "landing", leads=400, days=60, seed=11)
    assert _tree_digest(again) == _tree_digest(dirty_zone)
    assert _tree_digest(truth_dir_for(again)) == _tree_digest(truth_dir_for(dirty_zone))


def test_other_seed_gives_other_data(tmp_path: Path, dirty_zone: Path) -> None:
    other = _generate(tmp_path / "other" / "landing", leads=400, days=60, seed=12)
    assert _tree_digest(other) != _tree_digest(dirty_zone)


def test_non_empty_folder_is_refused_unless_clean(tmp_path: Path) -> None:
    target = tmp_path / "landing"
    target.mkdir()
    (target / "stale.txt").write_text("old", encoding="utf-8")
    with pytest.raises(LandingZoneNotEmptyError, match="not empty"):
        generate_landing_zone(target, leads=5, days=5, end_date=END)
    summary = generate_landing_zone(target, leads=5, days=5, end_date=END, clean=True)
    assert not (target / "stale.txt").exists()
    assert summary.end_date == END
    assert json.loads((truth_dir_for(target) / "summary.json").read_text())["parameters"] == {
        "seed": 7,
        "leads": 5,
        "days": 5,
        "start_date": "2026-06-26",
        "end_date": "2026-06-30",
        "dirty": True,
    }


def test_file_layout_matches_the_contract(dirty_zone: Path) -> None:
    folders = Counter()
    for path in dirty_zone.rglob("*"):
        if path.is_file():
            parts = path.relative_to(dirty_zone).parts
            folders[
                parts[0]
                if parts[0] in ("web", "email", "support", "booth")
                else "/".join(parts[:2])
            ] += 1
            if parts[0] == "web":
                assert len(parts) == 3 and parts[2].endswith(".jsonl.gz")
                date.fromisoformat(parts[1])
            elif parts[0] == "booth":
                assert len(parts) == 3 and parts[2].endswith(".csv")
            else:
                assert path.suffix == ".json"
    assert set(folders) == {
        "web",
        "email",
        "support",
        "booth",
        "social/forms",
        "social/responses",
        "social/reactions",
        "social/comments",
        "crm/leads",
        "crm/opportunities",
        "crm/tasks",
    }


def test_records_csv_matches_an_independent_reading_of_every_file(dirty_zone: Path) -> None:
    expected = _expected_outcomes(dirty_zone)
    records = _read_csv(truth_dir_for(dirty_zone) / "records.csv")
    truth = {(r["file"], int(r["position"]), r["entity"]): r["expected"] for r in records}
    assert len(records) == len(truth)
    assert truth.keys() == expected.keys()
    mismatches = [
        (where, truth[where], expected[where]) for where in truth if truth[where] != expected[where]
    ]
    assert mismatches == []


def test_records_counts_equal_rows_per_source_and_summary(dirty_zone: Path) -> None:
    expected = _expected_outcomes(dirty_zone)
    per_source = Counter(where[0].split("/")[0] for where in expected)
    summary = json.loads((truth_dir_for(dirty_zone) / "summary.json").read_text())
    assert {
        source: counts["delivered"] for source, counts in summary["sources"].items()
    } == per_source
    by_outcome = Counter((where[0].split("/")[0], verdict) for where, verdict in expected.items())
    for source, counts in summary["sources"].items():
        for outcome in ("loaded", "duplicate", "superseded", "quarantined", "filtered"):
            assert counts[outcome] == by_outcome[(source, outcome)], (source, outcome)


def test_dirty_zone_carries_every_fault_kind(dirty_zone: Path) -> None:
    faults = Counter(r["fault"] for r in _read_csv(truth_dir_for(dirty_zone) / "records.csv"))
    assert set(faults) - {""} == {
        "duplicate",
        "not_json",
        "missing_field",
        "wrong_type",
        "truncated_gzip",
        "test_record",
        "unsupported_event",
        "organization_actor",
        "deleted_ticket",
        "late",
        "future_timestamp",
        "padded_email",
        "older_version",
    }
    assert sum(faults.values()) - faults[""] < 0.1 * sum(faults.values())


def test_clean_zone_has_no_fault_and_matches_its_reading(clean_zone: Path) -> None:
    records = _read_csv(truth_dir_for(clean_zone) / "records.csv")
    assert [r for r in records if r["fault"]] == []
    expected = _expected_outcomes(clean_zone)
    assert {
        (r["file"], int(r["position"]), r["entity"]): r["expected"] for r in records
    } == expected
    assert {r["expected"] for r in records} == {"loaded", "duplicate", "superseded"}


def test_clean_and_dirty_share_the_same_people(clean_zone: Path, dirty_zone: Path) -> None:
    clean = _read_csv(truth_dir_for(clean_zone) / "people.csv")
    dirty = [
        p for p in _read_csv(truth_dir_for(dirty_zone) / "people.csv") if p["is_test"] == "false"
    ]
    assert clean == dirty


def test_touchpoints_are_loaded_rows_with_known_activities(dirty_zone: Path) -> None:
    truth = truth_dir_for(dirty_zone)
    loaded = {
        (r["source"], r["source_record_id"])
        for r in _read_csv(truth / "records.csv")
        if r["expected"] == "loaded"
    }
    people = {p["person_id"]: p for p in _read_csv(truth / "people.csv")}
    touchpoints = _read_csv(truth / "touchpoints.csv")
    assert all((t["source"], t["source_record_id"]) in loaded for t in touchpoints)
    assert all(
        t["person_id"] == "" or people[t["person_id"]]["is_test"] == "false" for t in touchpoints
    )
    activities = Counter(t["activity"] for t in touchpoints)
    assert "email_machine_open" not in activities
    for activity in (
        "pricing_page_view",
        "demo_request",
        "email_open",
        "support_ticket",
        "social_reaction",
        "booth_scan",
        "sales_call",
        "other",
        "home_view",
    ):
        assert activities[activity] > 0, activity
    anonymous = [t for t in touchpoints if t["source"] == "web" and not t["person_id"]]
    assert anonymous and all(t["anonymous_id"] or t["event_name"] for t in anonymous)
    pages = [t for t in touchpoints if t["activity"] == "pricing_page_view"]
    assert {t["page_path"] for t in pages} == {"/pricing"}


def _intent_counts(truth: Path) -> tuple[dict[str, dict[str, str]], Counter[str]]:
    people = {p["person_id"]: p for p in _read_csv(truth / "people.csv") if p["is_test"] == "false"}
    intent: Counter[str] = Counter()
    for touch in _read_csv(truth / "touchpoints.csv"):
        converted_at = people.get(touch["person_id"], {}).get("converted_at")
        if touch["activity"] in ("pricing_page_view", "demo_request") and (
            not converted_at or touch["occurred_at"] < converted_at
        ):
            intent[touch["person_id"]] += 1
    return people, intent


def test_converters_show_more_intent_before_converting(big_clean_zone: Path) -> None:
    people, intent = _intent_counts(truth_dir_for(big_clean_zone))
    converters = [pid for pid, p in people.items() if p["is_converted"] == "true"]
    others = [pid for pid, p in people.items() if p["is_converted"] == "false"]
    assert len(converters) >= 30
    mean_converters = sum(intent[pid] for pid in converters) / len(converters)
    mean_others = sum(intent[pid] for pid in others) / len(others)
    assert mean_converters > 2 * mean_others


def test_good_fit_people_convert_more_often(big_clean_zone: Path) -> None:
    people = _read_csv(truth_dir_for(big_clean_zone) / "people.csv")
    ideal = {"Software", "Technology", "Financial Services", "Healthcare"}
    senior = (
        "CEO",
        "CTO",
        "CFO",
        "COO",
        "CMO",
        "Chief",
        "VP",
        "Vice President",
        "Director",
        "Head",
    )

    def good_fit(person: dict[str, str]) -> bool:
        return (
            person["industry"] in ideal
            and 50 <= int(person["employee_count"]) <= 1000
            and any(word in person["title"] for word in senior)
        )

    def rate(group: list[dict[str, str]]) -> float:
        return sum(p["is_converted"] == "true" for p in group) / len(group)

    good = [p for p in people if good_fit(p)]
    rest = [p for p in people if not good_fit(p)]
    assert len(good) >= 50
    assert rate(good) > 2 * rate(rest)


def test_people_are_varied_and_realistic(big_clean_zone: Path) -> None:
    people = _read_csv(truth_dir_for(big_clean_zone) / "people.csv")
    emails = [p["email"] for p in people if p["email"]]
    assert len(emails) == len(set(emails))
    domains = Counter(email.split("@")[1] for email in emails)
    assert domains["gmail.com"] > 0
    assert domains["scorely.io"] + domains["leadpilot.com"] > 0
    assert any(email.startswith(("info@", "sales@", "contact@", "hello@")) for email in emails)
    sizes = [int(p["employee_count"]) for p in people]
    assert min(sizes) >= 5 and max(sizes) <= 50_000 and max(sizes) > 5_000
    assert {"Software", "Healthcare", "Retail", "Manufacturing", "Education"} <= {
        p["industry"] for p in people
    }
    titles = " ".join(p["title"] for p in people)
    for word in (
        "CEO",
        "VP",
        "Director",
        "Head of",
        "Manager",
        "Analyst",
        "Engineer",
        "Student",
        "Intern",
    ):
        assert word in titles, word


def test_identifiers_tie_merged_and_converted_crm_records(big_clean_zone: Path) -> None:
    truth = truth_dir_for(big_clean_zone)
    keys = defaultdict(set)
    for row in _read_csv(truth / "identifiers.csv"):
        keys[row["key_type"]].add((row["person_id"], row["key_value"]))
    leads = {}
    for path in sorted((big_clean_zone / "crm" / "leads").glob("*.json")):
        for record in json.loads(path.read_bytes())["records"]:
            leads[record["Id"]] = record
    owner = {value: pid for pid, value in keys["salesforce_lead_id"]}
    merged = [r for r in leads.values() if r["IsDeleted"]]
    assert merged and all(owner[r["Id"]] == owner[r["MasterRecordId"]] for r in merged)
    contacts = {value: pid for pid, value in keys["salesforce_contact_id"]}
    converted = [r for r in leads.values() if r["IsConverted"]]
    assert converted and all(contacts[r["ConvertedContactId"]] == owner[r["Id"]] for r in converted)
    assert len(keys["anonymous_id"]) > len(keys["user_id"]) > 0
