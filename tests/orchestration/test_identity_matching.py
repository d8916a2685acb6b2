"""Splink fuzzy matching and the identity rules file, on small hand-made sets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from orchestration.config.identity import identity_tables, load_identity_config
from orchestration.config.loading import IdentityConfigError
from orchestration.identity_matching import (
    company_of_domain,
    comparison_weights,
    match_unanchored,
    normalized_company,
    usable_email,
)
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH

CONFIG = load_identity_config(DEFAULT_IDENTITY_RULES_PATH)
THRESHOLD = CONFIG.match_threshold
COLUMNS = (
    "record_id", "source", "key_type", "key_value", "email", "first_name", "last_name",
    "company", "country", "seen_at", "organization_id",
)  # fmt: skip
FIRST = [
    "anna",
    "ben",
    "clara",
    "david",
    "eva",
    "felix",
    "greta",
    "hugo",
    "ida",
    "jonas",
    "karl",
    "lena",
    "mia",
    "noah",
    "olga",
    "paul",
    "quinn",
    "rosa",
    "sven",
    "tina",
    "ulla",
    "vera",
    "walt",
    "xena",
    "yusuf",
    "zara",
    "amir",
    "beth",
    "cyrus",
    "dana",
    "emil",
    "fiona",
    "gus",
    "hana",
    "igor",
    "jade",
    "kofi",
    "luz",
    "milo",
    "nora",
]
LAST = [
    "berg",
    "cole",
    "dietz",
    "engel",
    "frost",
    "graf",
    "haas",
    "imhof",
    "jung",
    "kern",
    "lutz",
    "moser",
    "nagel",
    "ortiz",
    "pohl",
    "quast",
    "roth",
    "sauer",
    "thiel",
    "uhl",
    "vogt",
    "wolff",
    "yilmaz",
    "zorn",
    "adler",
    "brandt",
    "conti",
    "duval",
    "ekman",
    "falk",
    "gruber",
    "holm",
    "ivanov",
    "janssen",
    "kovac",
    "lind",
    "marek",
    "novak",
    "okafor",
    "perez",
]
COMPANIES = [
    ("Nordwind GmbH", "nordwind.de", "Germany"),
    ("Blue Harbor Inc.", "blueharbor.com", "United States"),
    ("Tessel Ltd", "tessel.co.uk", "United Kingdom"),
    ("Quarry Labs", "quarrylabs.io", "Canada"),
    ("Vantage SA", "vantage.fr", "France"),
    ("Orchid BV", "orchid.nl", "Netherlands"),
    ("Pinecrest LLC", "pinecrest.com", "United States"),
    ("Solace AB", "solace.se", "Sweden"),
]
SEEN = datetime(2026, 6, 1, tzinfo=UTC)


def background() -> list[tuple]:
    """40 people at 8 companies, each known by a CRM lead and a web identify (work address)."""
    rows = []
    for n in range(40):
        first, last = FIRST[n], LAST[(7 * n) % len(LAST)]
        company, domain, country = COMPANIES[n % len(COMPANIES)]
        email = f"{first}.{last}{n}@{domain}"
        rows.append(
            (
                f"crm:L{n}",
                "crm",
                "salesforce_lead_id",
                f"L{n}",
                email,
                first.title(),
                last.title(),
                company,
                country,
                SEEN,
            )
        )
        rows.append((f"web:{n}", "web", "email", email, email, first, last, company.upper(),
                     country, SEEN))  # fmt: skip
    return rows


CASES = [
    # Zoë Müller: her CRM lead has no Email; her badge and identify call carry her address
    ("crm:Z", "crm", "salesforce_lead_id", "Z", None, "Zoe", "Muller", "ACME", "Germany", SEEN),
    ("booth:z1", "booth", "booth_scan", "z1", "zoe.mueller@acme.de", "Zoë", "Müller",
     "Acme GmbH", "Germany", SEEN),
    ("web:z", "web", "email", "zoe.mueller@acme.de", "zoe.mueller@acme.de", "Zoë", "Müller",
     "Acme", "Germany", SEEN),
    # Bob's badge carries only the shared mailbox; his lead has his own address
    ("booth:b1", "booth", "booth_scan", "b1", "info@stone.io", "Bob", "Stone", "Stone Inc.",
     "France", SEEN),
    ("crm:B", "crm", "salesforce_lead_id", "B", "bob@stone.io", "Bob", "Stone", "Stone",
     "France", SEEN),
    ("web:b", "web", "email", "bob@stone.io", "bob@stone.io", "Bob", "Stone", "Stone SA",
     "France", SEEN),
    # two people called Carl Weiss at Umbrella, and a Zendesk user "Carl Weiss" without email
    ("crm:C1", "crm", "salesforce_lead_id", "C1", "carl@umbrella.com", "Carl", "Weiss",
     "Umbrella", "Spain", SEEN),
    ("crm:C2", "crm", "salesforce_lead_id", "C2", "carl.weiss@umbrella.com", "Carl", "Weiss",
     "Umbrella", "Spain", SEEN),
    ("support:C", "support", "zendesk_user_id", "C", None, "Carl", "Weiss", None, None, None),
    # two badges without email of one Dora Quist, nobody with an address: never joined
    ("booth:d1", "booth", "booth_scan", "d1", None, "Dora", "Quist", "Quistco", "Italy", SEEN),
    ("booth:d2", "booth", "booth_scan", "d2", None, "Dora", "Quist", "Quistco", "Italy", SEEN),
]  # fmt: skip


def records(rows: list[tuple]) -> pa.Table:
    """The rows as match records; a row without its last columns (a Zendesk organization)
    has none."""
    return pa.table(
        {
            name: [row[i] if i < len(row) else None for row in rows]
            for i, name in enumerate(COLUMNS)
        }
    )


def pairs(rows: list[tuple], threshold: float = THRESHOLD) -> dict[str, list[str]]:
    config = CONFIG.model_copy(update={"match_threshold": threshold})
    result = match_unanchored(records(rows), config)
    found: dict[str, list[str]] = {}
    for match in result.matches:
        found.setdefault(match.left_key_value, []).append(match.right_key_value)
    return found


def test_records_without_a_usable_email_match_their_personal_address_only() -> None:
    assert pairs(background() + CASES) == {
        "Z": ["zoe.mueller@acme.de"],
        "b1": ["bob@stone.io"],
        # both namesakes: dbt joins neither (an ambiguous match, tests/dbt/test_identity_merges)
        "C": ["carl.weiss@umbrella.com", "carl@umbrella.com"],
    }


def test_the_model_is_trained_on_the_data_seeded_and_saved_with_its_weights() -> None:
    first = match_unanchored(records(background() + CASES), CONFIG)
    second = match_unanchored(records(background() + CASES), CONFIG)
    assert first.trained
    assert first.model == second.model
    assert first.matches == second.matches
    weights = {(name, level): weight for name, level, weight in comparison_weights(first.model)}
    assert {name for name, _ in weights} == {
        "first_name", "last_name", "company_norm", "email_domain", "country"
    }  # fmt: skip
    # agreeing on a name is evidence for, disagreeing evidence against
    assert weights[("last_name", "Exact match on last_name")] > 3
    assert weights[("last_name", "All other comparisons")] < 0
    # u comes from the data: among ~50 people, two random records share a last name rarely
    u_last = first.model["comparisons"][1]["comparison_levels"][1]["u_probability"]
    assert 0.001 < u_last < 0.06


def test_nothing_to_match_without_records_lacking_an_address() -> None:
    result = match_unanchored(records(background()), CONFIG)
    assert (result.matches, result.model, result.unanchored) == ([], {}, 0)
    empty = match_unanchored(records([]), CONFIG)
    assert (empty.matches, empty.records) == ([], 0)


def test_company_names_compare_without_case_accents_or_legal_suffixes() -> None:
    assert normalized_company("Müller & Söhne GmbH") == "mullersohne"
    assert normalized_company("Blue Harbor, Inc.") == "blueharbor"
    assert normalized_company("TESSEL LTD") == "tessel"
    assert normalized_company("Inc") == "inc"  # a name made only of a suffix stays
    assert normalized_company("  ") is None


def test_a_work_address_names_its_company_a_free_mail_address_none() -> None:
    assert company_of_domain("mosaicenergy.net") == normalized_company("Mosaic Energy GmbH")
    assert company_of_domain("gmail.com") is None
    assert company_of_domain(None) is None


def test_role_mailboxes_and_placeholders_are_not_usable_addresses() -> None:
    assert usable_email("ada@acme.io", CONFIG)
    assert not usable_email("info@acme.io", CONFIG)
    assert not usable_email("sales@acme.io", CONFIG)
    assert not usable_email("n/a", CONFIG)
    assert not usable_email(None, CONFIG)


def test_the_shipped_identity_rules_load_into_config_rows() -> None:
    config = load_identity_config(DEFAULT_IDENTITY_RULES_PATH)
    tables = identity_tables(config)
    assert tables["identity_settings"] == [
        {"max_people_per_key": 3, "match_threshold": 0.95, "name_only_match_threshold": 0.8}
    ]
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
