"""Splink fuzzy matching and the identity rules file, on small hand-made sets."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from orchestration.identity_config import (
    IdentityConfigError,
    identity_tables,
    load_identity_config,
)
from orchestration.identity_matching import RECORD_COLUMNS, match_badges
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH

THRESHOLD = 0.95

# (record_id, key_type, key_value, has_email, first_name, last_name, company, country)
RECORDS = [
    # Alice's badge carries no email; her Salesforce lead does
    ("booth_scan:b1", "booth_scan", "b1", False, "alice", "smith", "acme inc", "germany"),
    ("salesforce_lead_id:L1", "salesforce_lead_id", "L1", True, "alice", "smith", "acme inc",
     "germany"),
    # another Alice Smith, at another company
    ("salesforce_lead_id:L2", "salesforce_lead_id", "L2", True, "alice", "smith", "globex",
     "germany"),
    # Rob's badge, no email; Bob (same surname, same company) is someone else
    ("booth_scan:b3", "booth_scan", "b3", False, "rob", "stone", "acme inc", "germany"),
    ("booth_scan:b2", "booth_scan", "b2", True, "bob", "stone", "acme inc", "germany"),
    # two badges without email never match each other (neither can anchor the other)
    ("booth_scan:b4", "booth_scan", "b4", False, "carl", "weiss", "umbrella", "france"),
    ("booth_scan:b5", "booth_scan", "b5", False, "carl", "weiss", "umbrella", "france"),
]  # fmt: skip


def records(rows: list[tuple]) -> pa.Table:
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(RECORD_COLUMNS)})


def test_a_badge_without_email_matches_its_person_and_nobody_else() -> None:
    matches = match_badges(records(RECORDS), THRESHOLD)
    assert [(m.left_key_value, m.right_key_type, m.right_key_value) for m in matches] == [
        ("b1", "salesforce_lead_id", "L1")
    ]
    assert matches[0].match_probability > THRESHOLD
    assert matches[0].match_probability == pytest.approx(0.99969, abs=1e-5)


def test_a_lower_threshold_shows_the_namesake_with_its_lower_probability() -> None:
    matches = match_badges(records(RECORDS), 0.5)
    probabilities = {m.right_key_value: round(m.match_probability, 4) for m in matches}
    assert probabilities == {"L1": 0.9997, "L2": 0.6648}


def test_no_badge_without_email_means_no_matches() -> None:
    assert match_badges(records([row for row in RECORDS if row[3]]), THRESHOLD) == []


def test_the_shipped_identity_rules_load_into_config_rows() -> None:
    config = load_identity_config(DEFAULT_IDENTITY_RULES_PATH)
    tables = identity_tables(config)
    assert tables["identity_settings"] == [{"max_people_per_key": 3, "match_threshold": 0.95}]
    blocked = {
        (row["block_kind"], row["blocked_value"]) for row in tables["identity_blocked_values"]
    }
    assert ("email_local_part", "info") in blocked
    assert ("placeholder", "n/a") in blocked
    assert ("placeholder", "null") in blocked


def test_an_invalid_identity_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "identity.yml"
    path.write_text("max_people_per_key: 0\nmatch_threshold: 2\ncluster_size_warning: 5\n")
    with pytest.raises(IdentityConfigError) as error:
        load_identity_config(path)
    assert "max_people_per_key: Input should be greater than or equal to 1" in str(error.value)
    assert "match_threshold: Input should be less than 1" in str(error.value)
