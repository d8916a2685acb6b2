"""Fuzzy matching of records that name a person without a usable email, with Splink on DuckDB.

A CRM lead without `Email`, a Zendesk user without `email`, a booth badge or a LinkedIn form
with no address or only a role address (`info@`, `sales@`) names a person by first and last
name, company, the domain of its address and country. Splink (Fellegi-Sunter) scores each such
record against the records that carry a personal address; the model is trained on the data of
the run: u by random sampling, m by expectation maximisation over two blocking rules (on a
hash-fixed sample of the records beyond `EM_MAX_PAIRS` pairs), seeded.

Pure with respect to the warehouse: records in (an Arrow table), scored pairs and the trained
model out. Splink gets its own in-memory DuckDB connection, within a memory limit, because it
leaves `__splink__*` tables behind.
"""

from __future__ import annotations

import json
import logging
import math
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from orchestration.config.identity import IdentityConfig

LOGGER = logging.getLogger(__name__)
SEED = 15
U_SAMPLING_PAIRS = 1_000_000
# Splink's estimate of the prior from exact name + company agreements assumes this recall.
PRIOR_RULE_RECALL = 0.8
# Used as the prior when the data gives no estimate (too few records).
DEFAULT_PRIOR_MATCH_PROBABILITY = 1e-3
# EM blocked on a last name compares every pair of the name's records, so its pairs grow with
# the square of the records (31 M pairs, 8.5 GiB and 4.5 min at 90,000 records). Beyond this
# many pairs, Splink trains each EM session on a sample of the records, fixed by a hash of
# the record id (a record is on both sides or neither), sized so the session has about this
# many pairs: a uniform sample keeps the ratios EM estimates (matches among the blocked
# pairs, levels among the matches). Below it (estimated from a probe of the records, the
# sample's rate on each side) nothing changes.
EM_MAX_PAIRS = 1_000_000
EM_PROBE_RECORD_PROPORTION = 0.01
# Splink's own DuckDB connection: bounded memory (DuckDB spills to a temporary folder beyond
# it) and threads, instead of DuckDB's default of 80 % of RAM and every core.
SPLINK_MEMORY_LIMIT = "1GB"
SPLINK_THREADS = 2

# The SQL the asset runs on the warehouse (staging and intermediate views; fixed text, no
# values): one row per record that names a person, with its key and when it was seen.
MATCH_RECORDS_SQL = """
select
    'booth:' || scan_id as record_id, 'booth' as source, 'booth_scan' as key_type,
    scan_id as key_value, email, first_name, last_name, company, country,
    null as organization_id, scanned_at as seen_at
from staging.stg_booth__scans
union all
select
    'crm:' || lead_id, 'crm', 'salesforce_lead_id', lead_id, email, first_name, last_name,
    company, country, null, created_at
from staging.stg_crm__leads
where not is_deleted
union all
-- Zendesk keeps one `name`: the first word is the first name, the rest the last name
select
    'support:' || user_id, 'support', 'zendesk_user_id', user_id, email,
    nullif(split_part(trim(user_name), ' ', 1), ''),
    nullif(trim(substr(trim(user_name), length(split_part(trim(user_name), ' ', 1)) + 1)), ''),
    null, null, organization_id, null
from staging.stg_support__users
where not is_staff
union all
select
    'social:' || response_id, 'social', 'linkedin_person', submitter_urn, email, first_name,
    last_name, company, country, null, submitted_at
from intermediate.int_social__responses
where submitter_urn is not null
union all
-- Segment identify traits name the person behind an address (one record per distinct naming)
select
    'web:' || md5(concat_ws('|', trait_email, trait_first_name, trait_last_name,
        trait_company_name, trait_country)),
    'web', 'email', trait_email, trait_email, trait_first_name, trait_last_name,
    trait_company_name, trait_country, null, min(occurred_at)
from staging.stg_web__events
where event_type = 'identify'
    and trait_email is not null
group by trait_email, trait_first_name, trait_last_name, trait_company_name, trait_country
union all
-- a SendGrid recipient is named by its address alone (`first.last@company.com`: see
-- names_of_address)
select
    'email:' || email, 'email', 'email', email, email, null, null, null, null, null,
    min(occurred_at)
from staging.stg_email__events
where email is not null
group by email
"""

# The records that name a person on their own: only these are matched when email-less.
PERSON_RECORD_KEY_TYPES = frozenset(
    {"booth_scan", "salesforce_lead_id", "zendesk_user_id", "linkedin_person"}
)

# The dbt models MATCH_RECORDS_SQL reads: they build before the Splink asset.
MATCH_RECORD_MODELS = (
    "stg_booth__scans",
    "stg_crm__leads",
    "stg_support__users",
    "stg_social__responses",
    "stg_social__response_answers",
    "stg_social__form_questions",
    "int_social__responses",
    "stg_web__events",
    "stg_email__events",
)

LEGAL_SUFFIXES = frozenset(
    [
        "ab",
        "ag",
        "as",
        "bv",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "inc",
        "incorporated",
        "kg",
        "limited",
        "llc",
        "llp",
        "ltd",
        "nv",
        "oy",
        "plc",
        "pty",
        "sa",
        "sarl",
        "sas",
        "se",
        "spa",
        "srl",
    ]
)
# Mailbox providers whose domain says nothing about the employer.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
        "aol.com", "icloud.com", "me.com", "gmx.de", "gmx.net", "web.de", "mail.com",
        "proton.me", "protonmail.com", "yandex.ru", "qq.com", "163.com",
    }
)  # fmt: skip
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# `first.last`, `first_last` or `first-last`, digits after it allowed (`anna.berg7`)
_NAMED_LOCAL_PART = re.compile(r"([a-z]{2,})[._-]([a-z]{2,})[0-9]*")

# Starting values of m for EM and the model used when the data is too small to train
# (levels: exact, close, other); m = P(level | same person). The m of "close" (a typo) stays
# as set: small enough that a close name never weighs more than an exact one.
NAME_M = [0.96, 0.01, 0.03]
COMPANY_M = [0.88, 0.02, 0.10]
DOMAIN_M = [0.80, 0.20]
COUNTRY_M = [0.95, 0.05]


# What Splink compares and what it carries through to the pairs.
COMPARED_COLUMNS = ("first_name", "last_name", "company_norm", "email_domain", "country")
RETAINED_COLUMNS = (
    "source",
    "key_type",
    "key_value",
    "email",
    "seen_at",
    "has_usable_email",
    "unanchored",
)
# Candidate pairs: same last name, or same first name and company, and one side without a
# usable email (pairs of two anchored records are never kept, so never scored: this keeps
# the pair count proportional to the records that need a match, not to all records squared).
# One rule per side: `l.unanchored` is a condition on one table, so DuckDB filters it before
# the join, which then makes only the kept pairs; `l.unanchored or r.unanchored` is checked
# after it, on every pair of a last name's records (31 M at 90,000 records, for 0.9 M kept).
# Splink scores a pair once (a rule skips the pairs of the rules before it).
PREDICTION_BLOCKING_RULES = tuple(
    f"{agree} and {side}.unanchored"
    for agree in (
        "l.last_name = r.last_name",
        "l.first_name = r.first_name and l.company_norm = r.company_norm",
    )
    for side in ("l", "r")
)
# EM sessions: each fixes its blocking columns and trains the others' m (same last name:
# first name, company, domain, country; same first name and company: last name and the rest).
EM_BLOCKING_RULES = (("last_name",), ("first_name", "company_norm"))


@dataclass(frozen=True)
class FuzzyMatch:
    """A record without a usable email (left) and the personal address (right) it matches."""

    left_source: str
    left_key_type: str
    left_key_value: str
    left_seen_at: Any
    right_key_type: str
    right_key_value: str
    match_probability: float
    match_weight: float
    names_only: bool  # only the names compared: joins at the name-only threshold


FUZZY_MATCH_COLUMNS = {
    "left_source": "varchar",
    "left_key_type": "varchar",
    "left_key_value": "varchar",
    "left_seen_at": "timestamptz",
    "right_key_type": "varchar",
    "right_key_value": "varchar",
    "match_probability": "double",
    "match_weight": "double",
    "names_only": "boolean",
}


@dataclass(frozen=True)
class MatchResult:
    matches: list[FuzzyMatch]
    model: dict[str, Any]  # Splink's settings with the trained m, u and prior (JSON)
    records: int
    unanchored: int  # records without a usable email
    trained: bool


def plain_text(value: Any) -> str | None:
    """Lower case, accents removed, punctuation as single spaces; None when nothing is left."""
    if not isinstance(value, str):
        return None
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_text = decomposed.encode("ascii", "ignore").decode().lower()
    text = _NON_ALPHANUMERIC.sub(" ", ascii_text).strip()
    return text or None


def normalized_company(value: Any) -> str | None:
    """A company name without case, accents, punctuation, spaces or legal suffixes (GmbH, Inc.,
    Ltd): `Mosaic Energy GmbH` -> `mosaicenergy`, as its domain `mosaicenergy.net` reads."""
    text = plain_text(value)
    if text is None:
        return None
    words = text.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return "".join(words)


def company_of_domain(domain: Any) -> str | None:
    """The company a work address names (`mosaicenergy.net` -> `mosaicenergy`); None for a
    free-mail provider, which names no company."""
    if not isinstance(domain, str) or domain in FREE_MAIL_DOMAINS:
        return None
    return normalized_company(domain.split(".", 1)[0])


def usable_email(email: Any, config: IdentityConfig) -> bool:
    """A personal address: present and not blocked (role mailbox, placeholder, user list)."""
    if not isinstance(email, str) or "@" not in email:
        return False
    blocked = set(config.blocked_values) | set(config.user_blocked_values)
    return email not in blocked and email.split("@", 1)[0] not in config.blocked_email_local_parts


def names_of_address(email: Any) -> tuple[str | None, str | None]:
    """(first, last) an address spells in its local part (`anna.berg@x.com`, `anna_berg7@`),
    else (None, None): `aberg@` or `anna@` name no one for sure."""
    if not isinstance(email, str) or "@" not in email:
        return None, None
    named = _NAMED_LOCAL_PART.fullmatch(email.split("@", 1)[0])
    return (named.group(1), named.group(2)) if named else (None, None)


def match_frame(records: pa.Table, config: IdentityConfig) -> pd.DataFrame:
    """What Splink reads: normalized names, company, email domain, country, and the anchor.

    A record is `unanchored` when no record of its key carries a usable email (a LinkedIn
    person who filled one form with a work address is known by it on every other form).
    """
    frame = records.to_pandas()
    frame["email"] = frame["email"].where(frame["email"].notna(), None)
    frame["has_usable_email"] = [usable_email(email, config) for email in frame["email"]]
    anchored_keys = set(
        zip(
            frame.loc[frame["has_usable_email"], "key_type"],
            frame.loc[frame["has_usable_email"], "key_value"],
            strict=True,
        )
    )
    frame["unanchored"] = [
        key_type in PERSON_RECORD_KEY_TYPES and (key_type, key_value) not in anchored_keys
        for key_type, key_value in zip(frame["key_type"], frame["key_value"], strict=True)
    ]
    # a record with no names of its own (a SendGrid recipient) is named by its address
    spelt = [
        names_of_address(email)
        if not isinstance(first, str) and not isinstance(last, str)
        else (first, last)
        for email, first, last in zip(
            frame["email"], frame["first_name"], frame["last_name"], strict=True
        )
    ]
    frame["first_name"] = [plain_text(first) for first, _ in spelt]
    frame["last_name"] = [plain_text(last) for _, last in spelt]
    frame["country"] = [plain_text(value) for value in frame["country"]]
    frame["email_domain"] = [
        email.split("@", 1)[1] if isinstance(email, str) and "@" in email else None
        for email in frame["email"]
    ]
    # a record without a company name (a Zendesk user) names it by its work address
    frame["company_norm"] = [
        normalized_company(company) or company_of_domain(domain)
        for company, domain in zip(frame["company"], frame["email_domain"], strict=True)
    ]
    # ... or by its Zendesk organization, as the organization's other users name it
    organizations = organization_companies(frame)
    frame["company_norm"] = [
        company if isinstance(company, str) else organizations.get(organization)
        for company, organization in zip(
            frame["company_norm"], frame["organization_id"], strict=True
        )
    ]
    named = frame["first_name"].notna() & frame["last_name"].notna()
    columns = ["record_id", *RETAINED_COLUMNS, *COMPARED_COLUMNS]
    return frame.loc[named, columns].reset_index(drop=True)


def organization_companies(frame: pd.DataFrame) -> dict[str, str]:
    """organization id -> the company its users' personal addresses name most often (on any
    record carrying the address, or by its work domain); ties go to the first name in order.

    A Zendesk user carries no company, only its `organization_id`: a colleague's address
    known from a CRM lead or a badge names the organization's company for every user of it.
    """
    address_companies: dict[str, Counter[str]] = {}
    for email, company, usable in zip(
        frame["email"], frame["company_norm"], frame["has_usable_email"], strict=True
    ):
        if usable and isinstance(company, str):
            address_companies.setdefault(email, Counter())[company] += 1
    votes: dict[str, Counter[str]] = {}
    for organization, email, usable in zip(
        frame["organization_id"], frame["email"], frame["has_usable_email"], strict=True
    ):
        if isinstance(organization, str) and usable and email in address_companies:
            votes.setdefault(organization, Counter()).update(address_companies[email])
    return {
        organization: min(counts, key=lambda company: (-counts[company], company))
        for organization, counts in votes.items()
    }


def fixed_m_exact_match(column: str, m_probabilities: list[float]) -> cl.CustomComparison:
    """Exact match whose m stays as set (u is trained): on a few hundred records EM drives
    the m of "differs" to ~0, so a person's free-mail address on one record and the company
    domain on another would veto every match (measured: weight -48)."""
    agree, differ = m_probabilities
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(m_probability=agree, fix_m_probability=True),
            cll.ElseLevel().configure(m_probability=differ, fix_m_probability=True),
        ],
    )


def jaro_winkler_comparison(
    column: str, threshold: float, m_probabilities: list[float]
) -> cl.CustomComparison:
    """Exact, Jaro-Winkler >= `threshold` ("close"), other. The m of "close" stays as set (u is
    trained): without misspelt names among a person's records EM sees no true pair at that
    level and drives its m to ~0 (weights of -57 and -68 measured on 2,000 people), so one
    typo in a real export would veto the match."""
    exact, close, other = m_probabilities
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(m_probability=exact),
            cll.JaroWinklerLevel(column, threshold).configure(
                m_probability=close, fix_m_probability=True
            ),
            cll.ElseLevel().configure(m_probability=other),
        ],
    )


def match_settings(prior: float = DEFAULT_PRIOR_MATCH_PROBABILITY) -> SettingsCreator:
    """The Splink model: names and company by Jaro-Winkler, email domain and country exact."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        probability_two_random_records_match=prior,
        comparisons=[
            jaro_winkler_comparison("first_name", 0.92, NAME_M),
            jaro_winkler_comparison("last_name", 0.92, NAME_M),
            jaro_winkler_comparison("company_norm", 0.9, COMPANY_M),
            fixed_m_exact_match("email_domain", DOMAIN_M),
            fixed_m_exact_match("country", COUNTRY_M),
        ],
        blocking_rules_to_generate_predictions=[
            CustomRule(rule) for rule in PREDICTION_BLOCKING_RULES
        ],
        additional_columns_to_retain=list(RETAINED_COLUMNS),
        retain_intermediate_calculation_columns=False,
    )


def _phase_done(phase: str) -> None:
    """Marks the end of a matching phase in the log (benchmarks time and sample RSS by it)."""
    LOGGER.info("fuzzy matching: %s done", phase, extra={"matching_phase": phase})


def _train(linker: Linker) -> bool:
    """u by random sampling, the prior from exact name + company agreements, m by EM (each
    session on at most about `EM_MAX_PAIRS` pairs); False when the data is too small for a
    step (the starting values then stand)."""
    training = linker.training
    trained = True
    try:
        training.estimate_probability_two_random_records_match(
            [block_on("first_name", "last_name", "company_norm")], recall=PRIOR_RULE_RECALL
        )
    except Exception as error:  # noqa: BLE001 - Splink raises bare exceptions on tiny data
        LOGGER.warning("prior not estimated: %s", error)
        trained = False
    _phase_done("prior")
    training.estimate_u_using_random_sampling(max_pairs=U_SAMPLING_PAIRS, seed=SEED)
    _phase_done("u sampling")
    for columns in EM_BLOCKING_RULES:
        try:
            training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns),
                max_pairs=EM_MAX_PAIRS,
                record_sample_proportion=EM_PROBE_RECORD_PROPORTION,
            )
        except Exception as error:  # noqa: BLE001
            LOGGER.warning("EM over %s skipped: %s", columns, error)
            trained = False
        _phase_done(f"EM on {' + '.join(columns)}")
    return trained


def splink_connection(spill_directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for Splink, within `SPLINK_MEMORY_LIMIT` and `SPLINK_THREADS`;
    beyond the limit DuckDB spills to `spill_directory`."""
    return duckdb.connect(
        config={
            "memory_limit": SPLINK_MEMORY_LIMIT,
            "threads": SPLINK_THREADS,
            "temp_directory": str(spill_directory),
        }
    )


def match_unanchored(records: pa.Table, config: IdentityConfig) -> MatchResult:
    """Scored pairs (record without usable email, personal address) at or above the threshold.

    Sorted by left key, then probability (highest first), then the address. The model is
    trained on every named record of the run (both sides; EM on a sample when its pairs exceed
    `EM_MAX_PAIRS`), so its weights fit the data.
    """
    frame = match_frame(records, config)
    _phase_done("match frame")
    unanchored = int(frame["unanchored"].sum())
    if unanchored == 0 or len(frame) < 2 or not frame["has_usable_email"].any():
        return MatchResult([], {}, len(frame), unanchored, False)
    with tempfile.TemporaryDirectory(prefix="leadscore-splink-") as spill_directory:
        matches, model, trained = _scored(frame, config, Path(spill_directory))
    return MatchResult(matches, model, len(frame), unanchored, trained)


def _scored(
    frame: pd.DataFrame, config: IdentityConfig, spill_directory: Path
) -> tuple[list[FuzzyMatch], dict[str, Any], bool]:
    """`match_unanchored`'s pairs, model and whether it trained, from its match frame, with
    Splink's connection spilling to `spill_directory`."""
    connection = splink_connection(spill_directory)
    try:
        connection.register("match_records", frame)
        db_api = DuckDBAPI(connection=connection)
        linker = Linker(db_api.register("match_records"), match_settings())
        trained = _train(linker)
        thresholds = [config.match_threshold, config.name_only_match_threshold]
        predictions = linker.inference.predict(threshold_match_probability=min(thresholds))
        _phase_done("predict")
        # the table name is Splink's own, never a value from the data
        rows = connection.execute(
            ORIENTED_PAIRS_SQL.format(table=predictions.physical_name), thresholds
        )
        matches = [FuzzyMatch(*row) for row in rows.fetchall()]
        _phase_done("oriented pairs")
        model = json.loads(json.dumps(linker.misc.save_model_to_json(), default=str))
        model.pop("linker_uid", None)  # random per linker: the saved model is reproducible
    finally:
        connection.close()
    return matches, model, trained


# A kept pair has one side without a usable email (left) and one with (right, reported by its
# address), at or above its threshold ($1, or $2 when only the names compare). Pairs of two
# unanchored records, or of two personal addresses, are never joined.
ORIENTED_PAIRS_SQL = """
with oriented as (
    select
        case when has_usable_email_l then source_r else source_l end as left_source,
        case when has_usable_email_l then key_type_r else key_type_l end as left_key_type,
        case when has_usable_email_l then key_value_r else key_value_l end as left_key_value,
        case when has_usable_email_l then seen_at_r else seen_at_l end as left_seen_at,
        'email' as right_key_type,
        case when has_usable_email_l then email_l else email_r end as right_key_value,
        match_probability,
        match_weight,
        -- nothing but the names could be compared: one side has no company, domain or country
        (company_norm_l is null or company_norm_r is null)
            and (email_domain_l is null or email_domain_r is null)
            and (country_l is null or country_r is null) as names_only
    from {table}
    where (unanchored_l and has_usable_email_r) or (has_usable_email_l and unanchored_r)
)
,

accepted as (
    select
        left_source, left_key_type, left_key_value, min(left_seen_at) as left_seen_at,
        right_key_type, right_key_value, max(match_probability) as match_probability,
        max(match_weight) as match_weight, bool_and(names_only) as names_only
    from oriented
    where match_probability >= case when names_only then $2 else $1 end
    group by all
)

-- a record matched on more than the names is decided by that evidence: an address it agrees
-- with on the names alone (a namesake's free-mail address) does not make it ambiguous
select * exclude (has_richer_match)
from (
    select
        *,
        bool_or(not names_only) over (partition by left_key_type, left_key_value)
            as has_richer_match
    from accepted
)
where not (names_only and has_richer_match)
order by left_key_type, left_key_value, match_probability desc, right_key_value
"""


def comparison_weights(model: dict[str, Any]) -> Iterable[tuple[str, str, float | None]]:
    """(comparison, level, match weight = log2(m/u)) of a saved Splink model."""
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "?")
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            yield name, level.get("label_for_charts", level.get("sql_condition", "")), weight
