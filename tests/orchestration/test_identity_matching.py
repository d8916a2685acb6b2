"""Splink fuzzy matching and the identity rules file, on small hand-made sets."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from orchestration import identity_matching
from orchestration.config.identity import identity_tables, load_identity_config
from orchestration.config.loading import IdentityConfigError
from orchestration.identity_matching import (
    EM_BLOCKING_RULES,
    company_of_domain,
    comparison_weights,
    match_frame,
    match_unanchored,
    names_of_address,
    normalized_company,
    splink_connection,
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
        {name: [row[i] if i < len(row) else None for row in rows] for i, name in enumerate(COLUMNS)}
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


# Zendesk users known by name only (a Zendesk user carries no company, only an organization).
# Two people called Hana Holm, at Nordwind and at Tessel. Zendesk user H is in organization
# 501, where Anna Berg (background person 0, Nordwind) is known by her work address; H0 has
# no organization. Ivo Pohl's name is his own; Milo Novak's lead spells him "Novack".
NAME_ONLY_CASES = [
    ("crm:H1", "crm", "salesforce_lead_id", "H1", "hana.holm@nordwind.de", "Hana", "Holm",
     "Nordwind GmbH", "Germany", SEEN),
    ("crm:H2", "crm", "salesforce_lead_id", "H2", "hana.holm@tessel.co.uk", "Hana", "Holm",
     "Tessel Ltd", "United Kingdom", SEEN),
    ("support:A", "support", "zendesk_user_id", "A", "anna.berg0@nordwind.de", "Anna Berg",
     None, None, None, None, "501"),
    ("support:H", "support", "zendesk_user_id", "H", None, "Hana", "Holm", None, None, None,
     "501"),
    ("support:H0", "support", "zendesk_user_id", "H0", None, "Hana", "Holm", None, None, None),
    ("crm:I", "crm", "salesforce_lead_id", "I", "ivo@pinecrest.com", "Ivo", "Pohl",
     "Pinecrest LLC", "United States", SEEN),
    ("support:I", "support", "zendesk_user_id", "I", None, "Ivo", "Pohl", None, None, None),
    ("crm:M", "crm", "salesforce_lead_id", "M", "milo@quarrylabs.io", "Milo", "Novack",
     "Quarry Labs", "Canada", SEEN),
    ("booth:m1", "booth", "booth_scan", "m1", None, "Milo", "Novak", "Quarry Labs", "Canada",
     SEEN),
]  # fmt: skip


def test_a_zendesk_user_is_named_by_its_organization_and_reaches_the_namesake_there() -> None:
    result = match_unanchored(records(background() + NAME_ONLY_CASES), CONFIG)
    found = {
        (match.left_key_value, match.right_key_value): match.names_only for match in result.matches
    }
    # H's organization names Nordwind: the Tessel namesake is another person
    assert found[("H", "hana.holm@nordwind.de")] is False
    assert ("H", "hana.holm@tessel.co.uk") not in found
    # without an organization only the names compare: both namesakes, so dbt joins neither
    assert found[("H0", "hana.holm@nordwind.de")] is True
    assert found[("H0", "hana.holm@tessel.co.uk")] is True


def test_a_pair_agreeing_on_names_alone_joins_at_the_name_only_threshold() -> None:
    result = match_unanchored(records(background() + NAME_ONLY_CASES), CONFIG)
    ivo = next(match for match in result.matches if match.left_key_value == "I")
    assert (ivo.right_key_value, ivo.names_only) == ("ivo@pinecrest.com", True)
    assert ivo.match_probability >= CONFIG.name_only_match_threshold
    stricter = CONFIG.model_copy(update={"name_only_match_threshold": 0.999999})
    kept = {match.left_key_value for match in match_unanchored(
        records(background() + NAME_ONLY_CASES), stricter
    ).matches}  # fmt: skip
    assert "I" not in kept and "H0" not in kept
    assert {"H", "m1"} <= kept  # pairs with more than the names keep their own threshold


def test_a_namesakes_names_only_address_does_not_make_a_strong_match_ambiguous() -> None:
    # Lena Lutz's CRM lead has no Email; her identify call carries her work address; another
    # Lena Lutz gets our newsletter at a free-mail address (the names, nothing else, compare)
    rows = [
        ("crm:LL", "crm", "salesforce_lead_id", "LL", None, "Lena", "Lutz", "Solace AB",
         "Sweden", SEEN),
        ("web:ll", "web", "email", "lena.lutz@solace.se", "lena.lutz@solace.se", "Lena", "Lutz",
         "Solace", "Sweden", SEEN),
        ("email:ll", "email", "email", "lena.lutz@gmail.com", "lena.lutz@gmail.com", None, None,
         None, None, SEEN),
    ]  # fmt: skip
    assert pairs([*background(), *rows])["LL"] == ["lena.lutz@solace.se"]


def test_a_misspelt_name_is_evidence_for_the_match_not_a_veto() -> None:
    result = match_unanchored(records(background() + NAME_ONLY_CASES), CONFIG)
    weights = {(name, level): weight for name, level, weight in comparison_weights(result.model)}
    close = weights[("last_name", "Jaro-Winkler distance of last_name >= 0.92")]
    assert 0 < close < weights[("last_name", "Exact match on last_name")]
    assert [m.right_key_value for m in result.matches if m.left_key_value == "m1"] == [
        "milo@quarrylabs.io"
    ]


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


def em_pair_counts(caplog: pytest.LogCaptureFixture) -> list[int]:
    """The blocked pairs each sampled EM session materialised, as Splink logs them."""
    said = "[EM sampling] Materialised blocked pair count after sampling: "
    return [
        int(record.getMessage().removeprefix(said).split()[0])
        for record in caplog.records
        if record.getMessage().startswith(said)
    ]


def test_em_beyond_its_pair_bound_trains_on_a_sample_keeping_the_prior_u_and_matches(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="splink")
    rows = background() + CASES
    everything = match_unanchored(records(rows), CONFIG)
    assert em_pair_counts(caplog) == []  # below the bound: EM on every pair, as before
    frame = match_frame(records(rows), CONFIG)
    blocked = [
        sum(n * (n - 1) // 2 for n in frame.groupby(list(columns)).size())
        for columns in EM_BLOCKING_RULES
    ]
    bound = min(blocked) // 2
    monkeypatch.setattr(identity_matching, "EM_MAX_PAIRS", bound)
    monkeypatch.setattr(identity_matching, "EM_PROBE_RECORD_PROPORTION", 1.0)  # exact counts
    sampled = match_unanchored(records(rows), CONFIG)
    counts = em_pair_counts(caplog)
    assert len(counts) == 2
    assert all(0 < count < total for count, total in zip(counts, blocked, strict=True))
    assert sampled.trained
    prior = "probability_two_random_records_match"
    assert sampled.model[prior] == everything.model[prior]
    assert probabilities(sampled.model, "u") == probabilities(everything.model, "u")
    assert {match.left_key_value: match.right_key_value for match in sampled.matches} == {
        match.left_key_value: match.right_key_value for match in everything.matches
    }


def probabilities(model: dict[str, Any], kind: str) -> list[float | None]:
    """Every comparison level's m or u probability of a saved model, in order."""
    return [
        level.get(f"{kind}_probability")
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
    ]


def test_splinks_connection_has_a_memory_limit_and_spills_to_the_folder_given(
    tmp_path: Path,
) -> None:
    connection = splink_connection(tmp_path)
    limit, threads, spill = (
        connection.execute(
            "select current_setting('memory_limit'), current_setting('threads'),"
            " current_setting('temp_directory')"
        ).fetchone()
        or ()
    )
    connection.close()
    assert (limit, threads, spill) == ("953.6 MiB", 2, str(tmp_path))


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


def test_an_address_spelling_first_and_last_name_names_its_person() -> None:
    assert names_of_address("ananya_ferrari@redwoodacademy.ai") == ("ananya", "ferrari")
    assert names_of_address("astrid.yang1465@mail.com") == ("astrid", "yang")
    assert names_of_address("kenji-horvat@zephyr.com") == ("kenji", "horvat")
    for unnamed in ("pablowagner@x.de", "a.berg@x.de", "anna@x.de", "mary.ann.smith@x.de", None):
        assert names_of_address(unnamed) == (None, None)


def test_a_badge_reaches_a_recipient_known_only_by_its_address() -> None:
    recipient = (
        "email:x",
        "email",
        "email",
        "hugo.haas@tessel.co.uk",
        "hugo.haas@tessel.co.uk",
        None,
        None,
        None,
        None,
        SEEN,
    )
    badge = ("booth:h", "booth", "booth_scan", "h", None, "Hugo", "Haas", "Tessel Ltd",
             "United Kingdom", SEEN)  # fmt: skip
    assert pairs([*background(), recipient, badge])["h"] == ["hugo.haas@tessel.co.uk"]


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
