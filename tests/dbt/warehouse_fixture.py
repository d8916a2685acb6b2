"""A tiny warehouse for the dbt tests: the raw tables as dlt creates them (from the real
sources' column hints), hand-written rows in them, plus config.

Three people and a few strangers, scored as of 2026-06-30:
- Alice (alice@acme.io): views /pricing twice, downloads a brochure, starts a chat 6 minutes
  into her session (long session), is scanned at a booth; one pricing view after as-of.
- Bob (bob@scorely.io, competitor domain): LinkedIn form with WORK_EMAIL and a gmail EMAIL,
  a contact form, a reaction, an email click to the gmail address.
- Carol (carol@finbank.com): a Salesforce lead converted (won) on 2026-06-20, a sales call,
  a support ticket in two versions, a 5-minute session (not long), a later lead version.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import dlt
import duckdb
from dlt.common.destination.typing import PreparedTableSchema
from dlt.common.schema.typing import C_DLT_ID, C_DLT_LOAD_ID, TColumnSchema

from ingestion import web
from ingestion.parsing.tables import TableSpec, deliveries_table, rejected_table
from ingestion.sources import CHANNELS
from orchestration.attribution.models import ATTRIBUTION_TABLE_COLUMNS
from orchestration.config.identity import (
    IDENTITY_TABLE_COLUMNS,
    IdentityConfig,
    identity_tables,
    load_identity_config,
)
from orchestration.config.rules import CONFIG_TABLE_COLUMNS, RuleSet, config_tables, load_rules
from orchestration.identity_matching import FUZZY_MATCH_COLUMNS
from orchestration.resources import replace_tables
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH

LOAD_ID = "1750000000.000001"

# The datasets of the channels and, in each, the tables the channel module declares: created
# from the same column hints the real sources load with (below), never listed here by hand.
CHANNEL_DATASETS = {channel: f"raw_{channel}" for channel in CHANNELS}
# Only some `<resource>_rejected` tables exist: this young warehouse had rejected rows only
# in these (the real sources also create the others, empty, on their first run).
REJECTED_TABLES = (("raw_web", "events"), ("raw_crm", "leads"))
# The columns dlt adds to every row it loads (after the hinted columns, as dlt orders them).
DLT_COLUMNS: dict[str, TColumnSchema] = {
    C_DLT_LOAD_ID: {"name": C_DLT_LOAD_ID, "data_type": "text", "nullable": False},
    C_DLT_ID: {"name": C_DLT_ID, "data_type": "text", "nullable": False},
}

# Columns of the spec that a young warehouse may lack (always null so far, no dlt hint).
ABSENT_COLUMNS = (
    ("raw_web.events", "campaign_term"),
    ("raw_web.events", "trait_company_annual_revenue"),
    ("raw_crm.leads", "master_record_id"),
)


def channel_tables(channel: str) -> list[TableSpec]:
    """The tables a channel module declares (its `TableSpec`s), in the order it declares them."""
    module = importlib.import_module(f"ingestion.{channel}")
    return [value for value in vars(module).values() if isinstance(value, TableSpec)]


def create_table_sql(dataset: str, table: TableSpec, *, replace: bool = False) -> str:
    """`create table` of `table` as dlt creates it in DuckDB: its column hints (types through
    dlt's own DuckDB type mapper, keys not null), then dlt's `_dlt_load_id` and `_dlt_id`."""
    hints = {**table.column_hints(), **DLT_COLUMNS}
    mapper = dlt.destinations.duckdb().capabilities().get_type_mapper()
    prepared: PreparedTableSchema = {"name": table.name, "columns": hints}
    columns = ", ".join(
        f'"{name}" {mapper.to_destination_type(hint, prepared)}'
        + ("" if hint.get("nullable", True) else " not null")
        for name, hint in hints.items()
    )
    create = "create or replace table" if replace else "create table"
    return f"{create} {dataset}.{table.name} ({columns})"


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every channel's data tables, and the rejected tables of `REJECTED_TABLES`, empty."""
    for channel, dataset in CHANNEL_DATASETS.items():
        con.execute(f"create schema {dataset}")
        for table in channel_tables(channel):
            con.execute(create_table_sql(dataset, table))
    for dataset, resource in REJECTED_TABLES:
        con.execute(create_table_sql(dataset, rejected_table(resource)))


WEB_FILE = "web/2026-06-10/part-0001.jsonl.gz"
# raw_web.events as `create_raw_tables` creates it, in order (the values of `web_event`)
WEB_COLUMNS = [*web.EVENTS.columns, *DLT_COLUMNS]


def web_event(
    position: int,
    message_id: str,
    event_type: str,
    anonymous_id: str | None,
    timestamp: str,
    *,
    event: str | None = None,
    path: str | None = None,
    referrer: str | None = None,
    medium: str | None = None,
    traits: tuple[str, str, str, str, str, str, int] | None = None,
) -> tuple[object, ...]:
    email, first, last, title, company, industry, employees = traits or (None,) * 7
    return (
        message_id,
        event_type,
        event,
        anonymous_id,
        None,
        timestamp,
        timestamp,
        timestamp,
        path,
        f"https://example.com{path}" if path else None,
        None,
        referrer,
        "spring" if medium else None,
        None,
        medium,
        None,
        None,
        None,
        None,
        None,
        email,
        first,
        last,
        title,
        None,
        None,
        company,
        industry,
        employees,
        None,
        WEB_FILE,
        position,
        LOAD_ID,
        f"dlt-web-{position}",
    )


WEB_EVENTS = [
    # Alice: one 6-minute session, then a new session after a 54-minute gap
    web_event(1, "w-a-1", "page", "anon-a", "2026-06-10 10:00:00+00", path="/"),
    web_event(2, "w-a-2", "page", "anon-a", "2026-06-10 10:02:00+00", path="/pricing"),
    web_event(3, "w-a-3", "page", "anon-a", "2026-06-10 10:03:00+00", path="/Pricing/"),
    web_event(4, "w-a-4", "track", "anon-a", "2026-06-10 10:04:00+00", event="Brochure Downloaded"),
    web_event(
        5,
        "w-a-5",
        "track",
        "anon-a",
        "2026-06-10 10:06:00+00",
        event="Live Chat Conversation Started",
    ),
    web_event(
        6,
        "w-a-6",
        "identify",
        "anon-a",
        "2026-06-10 10:06:30+00",
        traits=("  Alice@Acme.IO ", "Alice", "Archer", "VP Marketing", "Acme", "software", 200),
    ),
    web_event(7, "w-a-7", "page", "anon-a", "2026-06-10 11:00:00+00", path="/blog/why-scores"),
    # after the as-of day: must be ignored everywhere
    web_event(8, "w-a-8", "page", "anon-a", "2026-07-01 09:00:00+00", path="/pricing"),
    # Bob
    web_event(
        9, "w-b-1", "track", "anon-b", "2026-06-12 14:00:00+00", event="Contact Form Submitted"
    ),
    web_event(
        10,
        "w-b-2",
        "identify",
        "anon-b",
        "2026-06-12 14:00:05+00",
        traits=("bob@scorely.io", "Bob", "Baker", None, None, None, None),
    ),
    # Carol: a session of exactly 5 minutes (not over 5)
    web_event(
        11,
        "w-c-1",
        "identify",
        "anon-c",
        "2026-06-15 09:00:00+00",
        traits=("carol@finbank.com", "Caro", None, "Intern", "FinBank", None, None),
    ),
    web_event(12, "w-c-2", "page", "anon-c", "2026-06-15 09:00:00+00", path="/pricing"),
    web_event(
        13, "w-c-3", "track", "anon-c", "2026-06-15 09:05:00+00", event="Contact Form Submitted"
    ),
    web_event(14, "w-c-4", "page", "anon-c", "2026-07-02 09:00:00+00", path="/pricing"),
    # a stranger: a QR visit and a LinkedIn referral, never identified
    web_event(15, "w-z-1", "page", "anon-z", "2026-06-20 08:00:00+00", path="/", medium="QR"),
    web_event(
        16,
        "w-z-2",
        "page",
        "anon-z",
        "2026-06-20 08:01:00+00",
        path="/product/x",
        referrer="https://www.linkedin.com/feed/",
    ),
]

EMAIL_EVENTS = [
    ("e-1", False, "alice@acme.io", "delivered", "2026-06-09 08:00:00+00", False, 1),
    ("e-2", False, "Alice@acme.io", "open", "2026-06-09 08:05:00+00", True, 2),
    ("e-3", False, "bob.b@gmail.com", "click", "2026-06-13 08:00:00+00", False, 3),
    ("e-4", False, "carol@finbank.com", "processed", "2026-06-14 08:00:00+00", False, 4),
]

TICKETS = [
    (500, "2026-06-16 10:00:00+00", "2026-06-16 10:00:00+00", "new", 100, 1),
    (500, "2026-06-16 10:00:00+00", "2026-06-17 10:00:00+00", "solved", 200, 2),
]
SUPPORT_USERS = [
    (9001, "Carol@FinBank.com", "Carol C", "end-user", 1),
    (9002, "agent@ourco.com", "Agent Smith", "agent", 2),
]

FORM_QUESTIONS = [
    # labels in the form creator's language: answers map by predefinedField only
    (77, 2, 1, "WORK_EMAIL", "Adresse e-mail professionnelle"),
    (77, 2, 2, "EMAIL", "Adresse e-mail"),
    (77, 2, 3, "FIRST_NAME", "Prénom"),
    (77, 2, 4, "LAST_NAME", "Nom"),
    (77, 2, 5, "JOB_TITLE", "Poste"),
    (77, 2, 6, "COMPANY_SIZE", "Taille de l'entreprise"),
    (77, 2, 7, "INDUSTRY", "Secteur"),
    (77, 2, 8, None, "Email"),
]
RESPONSE_ANSWERS = [
    ("resp-1", 1, "Bob@Scorely.io"),
    ("resp-1", 2, "bob.b@gmail.com"),
    ("resp-1", 3, "Robert"),
    ("resp-1", 4, "Baker"),
    ("resp-1", 5, "Director of Sales"),
    ("resp-1", 6, "201-500"),
    ("resp-1", 7, "Technology"),
    ("resp-1", 8, "not-an-email-custom-answer"),
]

CRM_LEADS = [
    # (id, title, industry, employees, modified, converted, converted_date, position)
    ("00Q000000000001", "Analyst", "Finance", 5000, "2026-05-01 10:00:00+00", False, None, 1),
    (
        "00Q000000000001",
        "Marketing Manager",
        "Finance",
        5000,
        "2026-06-20 10:00:00+00",
        True,
        "2026-06-20",
        2,
    ),
    # a later version (after as-of) must not be seen
    ("00Q000000000001", "CFO", "Finance", 5000, "2026-07-05 10:00:00+00", True, "2026-06-20", 3),
]

# The config tables come from a rules file, written exactly as the rules asset writes them.
FIXTURE_RULES = Path(__file__).with_name("fixture_rules.yml")


def build_warehouse(path: Path, rules_path: Path = FIXTURE_RULES) -> RuleSet:
    """Create the raw tables of the spec and the config tables of `rules_path` in a new file."""
    rules = load_rules(rules_path)
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        create_raw_tables(con)
        _insert_rows(con)
        write_delivery_manifests(con)
        # dlt creates a column only once a non-null value arrives: these never had one
        for table, column in ABSENT_COLUMNS:
            con.execute(f"alter table {table} drop column {column}")
        write_config(con, rules)
        write_identity_tables(con, load_identity_config(DEFAULT_IDENTITY_RULES_PATH), [])
        write_empty_attribution_tables(con)
    finally:
        con.close()
    return rules


def write_config(con: duckdb.DuckDBPyConnection, rules: RuleSet) -> None:
    """Replace the `config` tables with those of `rules`."""
    tables = config_tables(rules)
    replace_tables(
        con, "config", {name: (CONFIG_TABLE_COLUMNS[name], rows) for name, rows in tables.items()}
    )


def insert_web_events(con: duckdb.DuckDBPyConnection, rows: list[tuple[object, ...]]) -> None:
    """Insert web events made by `web_event`, into whichever columns the table has now."""
    columns = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw_web' and table_name = 'events' order by ordinal_position"
        ).fetchall()
    ]
    kept = [WEB_COLUMNS.index(name) for name in columns]
    con.executemany(
        f"insert into raw_web.events values ({', '.join(['?'] * len(kept))})",
        [tuple(row[i] for i in kept) for row in rows],
    )


def insert_email_events(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple[str, str, str, str, str | None, bool, int]],
) -> None:
    """Insert SendGrid events: (sg_event_id, email, event, at, url, machine open, position)."""
    con.executemany(
        "insert into raw_email.events values "
        "(?, false, ?, ?, ?, null, null, null, ?, null, null, null, null, 'June news', ?, "
        "'email/batch-1.json', ?, ?, ?)",
        [(*row, LOAD_ID, f"dlt-email-{row[-1]}") for row in rows],
    )


def insert_reactions(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str, int]]) -> None:
    """Insert LinkedIn reactions: (reaction id, actor URN, created_at, position)."""
    con.executemany(
        "insert into raw_social.reactions values (?, ?, 'LIKE', 'urn:li:activity:1', ?, ?, "
        "'social/reactions/p1.json', ?, ?, ?)",
        [(rid, actor, at, at, pos, LOAD_ID, f"x{pos}") for rid, actor, at, pos in rows],
    )


# (dataset, resource, entity, table): what ingestion's delivery manifest counts per file.
DELIVERED_ENTITIES = (
    ("raw_web", "events", "event", "events"),
    ("raw_email", "events", "event", "events"),
    ("raw_support", "tickets", "ticket", "tickets"),
    ("raw_support", "tickets", "user", "users"),
    ("raw_social", "forms", "form", "forms"),
    ("raw_social", "responses", "response", "responses"),
    ("raw_social", "reactions", "reaction", "reactions"),
    ("raw_social", "comments", "comment", "comments"),
    ("raw_booth", "scans", "scan", "scans"),
    ("raw_crm", "leads", "lead", "leads"),
    ("raw_crm", "opportunities", "opportunity", "opportunities"),
    ("raw_crm", "tasks", "task", "tasks"),
)


def write_delivery_manifests(con: duckdb.DuckDBPyConnection) -> None:
    """`<resource>_deliveries` as ingestion writes it: per file, the rows it delivered.

    Call it again after adding raw rows: it rebuilds every manifest from the raw tables.
    """
    existing = {f"{schema}.{name}" for schema, name in con.execute(
        "select table_schema, table_name from information_schema.tables"
    ).fetchall()}  # fmt: skip
    for dataset, resource in dict.fromkeys((d, r) for d, r, _, _ in DELIVERED_ENTITIES):
        con.execute(create_table_sql(dataset, deliveries_table(resource), replace=True))
    for dataset, resource, entity, table in DELIVERED_ENTITIES:
        manifest = f"{dataset}.{resource}_deliveries"
        rejected = f"{dataset}.{resource}_rejected"
        rejected_rows = (
            f"select file, disposition, _dlt_load_id from {rejected} where entity = '{entity}'"
            if rejected in existing
            else "select null as file, null as disposition, null as _dlt_load_id where false"
        )
        con.execute(
            f"""
            insert into {manifest} by name
            with rows as (
                select file, 'emitted' as outcome, _dlt_load_id from {dataset}.{table}
                union all
                select file, disposition, _dlt_load_id from ({rejected_rows})
            )
            select file, '{entity}' as entity, count(*) as delivered,
                count(*) filter (outcome = 'emitted') as emitted,
                count(*) filter (outcome = 'quarantined') as quarantined,
                count(*) filter (outcome = 'filtered') as filtered, 0 as suppressed,
                max(_dlt_load_id) as _dlt_load_id, 'manifest-' || file as _dlt_id
            from rows group by file
            """
        )


def write_empty_attribution_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The `attribution.*` tables the Markov/Shapley asset writes, empty (dbt reads them)."""
    replace_tables(
        con,
        "attribution",
        {table: (columns, []) for table, columns in ATTRIBUTION_TABLE_COLUMNS.items()},
    )


def write_identity_tables(
    con: duckdb.DuckDBPyConnection,
    config: IdentityConfig,
    fuzzy_matches: list[tuple[object, ...]],
) -> None:
    """(Re)write config.identity_* from `config` and identity.fuzzy_matches from the pairs
    (tuples in the order of `FUZZY_MATCH_COLUMNS`)."""
    tables = identity_tables(config)
    replace_tables(
        con,
        "config",
        {table: (IDENTITY_TABLE_COLUMNS[table], rows) for table, rows in tables.items()},
    )
    rows = [dict(zip(FUZZY_MATCH_COLUMNS, pair, strict=True)) for pair in fuzzy_matches]
    replace_tables(con, "identity", {"fuzzy_matches": (FUZZY_MATCH_COLUMNS, rows)})


def _insert_rows(con: duckdb.DuckDBPyConnection) -> None:
    insert_web_events(con, WEB_EVENTS)
    insert_email_events(
        con,
        [
            (eid, email, event, at, None, machine, pos)
            for eid, _, email, event, at, machine, pos in EMAIL_EVENTS
        ],
    )
    con.executemany(
        "insert into raw_support.tickets values (?, ?, ?, 'Pricing question', 'How much?', ?, "
        "'normal', 'question', '[\"pre-sales\"]', 9001, 'web', null, ?, ?, ?, ?, ?)",
        [
            (tid, created, updated, status, gen, f"support/page-{pos}.json", 1, LOAD_ID, f"t{pos}")
            for tid, created, updated, status, gen, pos in TICKETS
        ],
    )
    con.executemany(
        "insert into raw_support.users values (?, ?, ?, ?, 1, 'support/page-1.json', ?, ?, ?)",
        [(*row, LOAD_ID, f"u{row[-1]}") for row in SUPPORT_USERS],
    )
    con.execute(
        "insert into raw_social.forms values "
        "(77, 2, 'Demo form', 'PUBLISHED', 'social/forms/p1.json', 1, ?, 'f1')",
        [LOAD_ID],
    )
    con.executemany(
        "insert into raw_social.form_questions values (?, ?, ?, ?, ?, ?, ?)",
        [(*row, LOAD_ID, f"q{row[2]}") for row in FORM_QUESTIONS],
    )
    con.execute(
        "insert into raw_social.responses values ('resp-1', '2026-06-11 12:00:00+00', "
        "'SPONSORED', 'urn:li:person:bob', 77, 2, 'urn:li:sponsoredAccount:1', null, "
        "'urn:li:sponsoredCampaign:9', 'social/responses/p1.json', 1, ?, 'r1')",
        [LOAD_ID],
    )
    con.executemany(
        "insert into raw_social.response_answers values (?, ?, ?, ?, ?)",
        [(*row, LOAD_ID, f"a{row[1]}") for row in RESPONSE_ANSWERS],
    )
    con.execute(
        "insert into raw_social.reactions values "
        "('urn:li:reaction:(urn:li:person:bob,urn:li:activity:1)', 'urn:li:person:bob', 'LIKE', "
        "'urn:li:activity:1', '2026-06-14 09:00:00+00', '2026-06-14 09:00:00+00', "
        "'social/reactions/p1.json', 1, ?, 'x1')",
        [LOAD_ID],
    )
    con.executemany(
        "insert into raw_booth.scans values (?, 'saastr-2026', ?, ?, ?, ?, ?, null, null, ?, "
        "'Sam', ?, null, null, null, ?, ?, ?, ?)",
        [
            (
                "saastr-2026/scans.csv#1",
                "Alice",
                "Archer",
                "\tALICE@ACME.IO ",
                "Acme Inc",
                "Head of Growth",
                "2026-06-05 15:00:00+02",
                "Hot",
                "booth/saastr-2026/scans.csv",
                1,
                LOAD_ID,
                "b1",
            ),
            (
                "saastr-2026/scans.csv#2",
                "Nora",
                "Noemail",
                "",
                "Nowhere",
                "CEO",
                "2026-06-05 16:00:00+02",
                "",
                "booth/saastr-2026/scans.csv",
                2,
                LOAD_ID,
                "b2",
            ),
        ],
    )
    con.executemany(
        "insert into raw_crm.leads values (?, 'carol@finbank.com', 'Carol', 'Chen', 'FinBank', "
        "?, ?, ?, null, 'US', null, 'Web', 'Open', '005X', '2026-05-01 10:00:00+00', ?, ?, "
        "?, case when ? then '006A' end, case when ? then '003A' end, false, null, "
        "'crm/leads/p1.json', ?, ?, ?)",
        [
            (lid, title, ind, emp, mod, conv, cdate, conv, conv, pos, LOAD_ID, f"l{pos}")
            for lid, title, ind, emp, mod, conv, cdate, pos in CRM_LEADS
        ],
    )
    con.execute(
        "insert into raw_crm.opportunities values ('006A', 'FinBank deal', 'Closed Won', true, "
        "true, '2026-06-25', 12000, null, '2026-06-20 10:00:00+00', '2026-06-25 10:00:00+00', "
        "'crm/opportunities/p1.json', 1, ?, 'o1')",
        [LOAD_ID],
    )
    con.execute(
        "insert into raw_crm.tasks values ('00T1', '003A', 'Intro call', 'Call', 300, "
        "'2026-06-22', 'Completed', '2026-06-22 15:00:00+00', '2026-06-22 15:00:00+00', "
        "'crm/tasks/p1.json', 1, ?, 'k1')",
        [LOAD_ID],
    )
    con.executemany(
        "insert into raw_web.events_rejected values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                WEB_FILE,
                "event",
                17,
                "quarantined",
                "not_json: Expecting value",
                "{oops",
                LOAD_ID,
                "j1",
            ),
            (
                WEB_FILE,
                "event",
                18,
                "filtered",
                "test_record: email matches *@mailinator.com",
                '{"type":"identify"}',
                LOAD_ID,
                "j2",
            ),
        ],
    )
    con.execute(
        "insert into raw_crm.leads_rejected values ('crm/leads/p1.json', 'lead', 4, "
        "'quarantined', 'missing_field: Id', '{\"Email\": \"x@y.com\"}', ?, 'j3')",
        [LOAD_ID],
    )
