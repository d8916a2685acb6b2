"""A tiny hand-written warehouse for the dbt tests: raw tables as dlt writes them, plus config.

Three people and a few strangers, scored as of 2026-06-30:
- Alice (alice@acme.io): views /pricing twice, downloads a brochure, starts a chat 6 minutes
  into her session (long session), is scanned at a booth; one pricing view after as-of.
- Bob (bob@scorely.io, competitor domain): LinkedIn form with WORK_EMAIL and a gmail EMAIL,
  a contact form, a reaction, an email click to the gmail address.
- Carol (carol@finbank.com): a Salesforce lead converted (won) on 2026-06-20, a sales call,
  a support ticket in two versions, a 5-minute session (not long), a later lead version.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.identity_config import (
    IDENTITY_TABLE_COLUMNS,
    IdentityConfig,
    identity_tables,
    load_identity_config,
)
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH

LOAD_ID = "1750000000.000001"

RAW_DDL = """
create schema raw_web;
create schema raw_email;
create schema raw_support;
create schema raw_social;
create schema raw_booth;
create schema raw_crm;
create schema config;

create table raw_web.events (
    message_id varchar, type varchar, event varchar, anonymous_id varchar, user_id varchar,
    "timestamp" timestamptz, received_at timestamptz, sent_at timestamptz,
    page_path varchar, page_url varchar, page_title varchar, page_referrer varchar,
    campaign_name varchar, campaign_source varchar, campaign_medium varchar,
    campaign_term varchar, campaign_content varchar, ip varchar, user_agent varchar,
    chat_topic varchar, trait_email varchar, trait_first_name varchar, trait_last_name varchar,
    trait_title varchar, trait_phone varchar, trait_country varchar, trait_company_name varchar,
    trait_company_industry varchar, trait_company_employee_count bigint,
    trait_company_annual_revenue double, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_email.events (
    sg_event_id varchar, is_event_id_derived boolean, email varchar, event varchar,
    "timestamp" timestamptz, sg_message_id varchar, smtp_id varchar, category varchar,
    url varchar, reason varchar, status varchar, bounce_type varchar,
    marketing_campaign_id varchar, marketing_campaign_name varchar, is_machine_open boolean,
    file varchar, position bigint, _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_support.tickets (
    id bigint, created_at timestamptz, updated_at timestamptz, subject varchar,
    description varchar, status varchar, priority varchar, type varchar, tags json,
    requester_id bigint, via_channel varchar, satisfaction_score varchar,
    generated_timestamp bigint, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_support.users (
    id bigint, email varchar, name varchar, role varchar, organization_id bigint,
    file varchar, position bigint, _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_social.forms (
    id bigint, version_id bigint, name varchar, state varchar, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_social.form_questions (
    form_id bigint, form_version_id bigint, question_id bigint, predefined_field varchar,
    name varchar, _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_social.responses (
    id varchar, submitted_at timestamptz, lead_type varchar, submitter varchar,
    form_id bigint, form_version_id bigint, sponsored_account varchar, organization varchar,
    campaign varchar, file varchar, position bigint, _dlt_load_id varchar not null,
    _dlt_id varchar
);
create table raw_social.response_answers (
    response_id varchar, question_id bigint, answer varchar,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_social.reactions (
    id varchar, actor varchar, reaction_type varchar, root varchar, created_at timestamptz,
    last_modified_at timestamptz, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_social.comments (
    id varchar, comment_urn varchar, actor varchar, object varchar, message_text varchar,
    created_at timestamptz, last_modified_at timestamptz, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_booth.scans (
    scan_key varchar, event_slug varchar, first_name varchar, last_name varchar,
    email_address varchar, company varchar, job_title varchar, phone varchar, country varchar,
    scanned_at timestamptz, scanned_by varchar, rating varchar, notes varchar,
    q_timeline varchar, q_budget varchar, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_crm.leads (
    id varchar, email varchar, first_name varchar, last_name varchar, company varchar,
    title varchar, industry varchar, number_of_employees bigint, annual_revenue double,
    country varchar, state varchar, lead_source varchar, status varchar, owner_id varchar,
    created_date timestamptz, last_modified_date timestamptz, is_converted boolean,
    converted_date date, converted_opportunity_id varchar, converted_contact_id varchar,
    is_deleted boolean, master_record_id varchar, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_crm.opportunities (
    id varchar, name varchar, stage_name varchar, is_closed boolean, is_won boolean,
    close_date date, amount double, campaign_id varchar, created_date timestamptz,
    last_modified_date timestamptz, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
create table raw_crm.tasks (
    id varchar, who_id varchar, subject varchar, type varchar, call_duration_in_seconds bigint,
    activity_date date, status varchar, created_date timestamptz,
    last_modified_date timestamptz, file varchar, position bigint,
    _dlt_load_id varchar not null, _dlt_id varchar
);
"""

# Only some `<resource>_rejected` tables exist: dlt creates one at the first rejected row.
REJECTED_DDL = """
create table {table} (
    file varchar, entity varchar, position bigint, disposition varchar, reason varchar,
    raw varchar, _dlt_load_id varchar not null, _dlt_id varchar
);
"""
REJECTED_TABLES = ("raw_web.events_rejected", "raw_crm.leads_rejected")

# Columns of the spec that a young warehouse may lack (always null so far, no dlt hint).
ABSENT_COLUMNS = (
    ("raw_web.events", "campaign_term"),
    ("raw_web.events", "trait_company_annual_revenue"),
    ("raw_crm.leads", "master_record_id"),
)

WEB_FILE = "web/2026-06-10/part-0001.jsonl.gz"


def _web(
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
    _web(1, "w-a-1", "page", "anon-a", "2026-06-10 10:00:00+00", path="/"),
    _web(2, "w-a-2", "page", "anon-a", "2026-06-10 10:02:00+00", path="/pricing"),
    _web(3, "w-a-3", "page", "anon-a", "2026-06-10 10:03:00+00", path="/Pricing/"),
    _web(4, "w-a-4", "track", "anon-a", "2026-06-10 10:04:00+00", event="Brochure Downloaded"),
    _web(
        5,
        "w-a-5",
        "track",
        "anon-a",
        "2026-06-10 10:06:00+00",
        event="Live Chat Conversation Started",
    ),
    _web(
        6,
        "w-a-6",
        "identify",
        "anon-a",
        "2026-06-10 10:06:30+00",
        traits=("  Alice@Acme.IO ", "Alice", "Archer", "VP Marketing", "Acme", "software", 200),
    ),
    _web(7, "w-a-7", "page", "anon-a", "2026-06-10 11:00:00+00", path="/blog/why-scores"),
    # after the as-of day: must be ignored everywhere
    _web(8, "w-a-8", "page", "anon-a", "2026-07-01 09:00:00+00", path="/pricing"),
    # Bob
    _web(9, "w-b-1", "track", "anon-b", "2026-06-12 14:00:00+00", event="Contact Form Submitted"),
    _web(
        10,
        "w-b-2",
        "identify",
        "anon-b",
        "2026-06-12 14:00:05+00",
        traits=("bob@scorely.io", "Bob", "Baker", None, None, None, None),
    ),
    # Carol: a session of exactly 5 minutes (not over 5)
    _web(
        11,
        "w-c-1",
        "identify",
        "anon-c",
        "2026-06-15 09:00:00+00",
        traits=("carol@finbank.com", "Caro", None, "Intern", "FinBank", None, None),
    ),
    _web(12, "w-c-2", "page", "anon-c", "2026-06-15 09:00:00+00", path="/pricing"),
    _web(13, "w-c-3", "track", "anon-c", "2026-06-15 09:05:00+00", event="Contact Form Submitted"),
    _web(14, "w-c-4", "page", "anon-c", "2026-07-02 09:00:00+00", path="/pricing"),
    # a stranger: a QR visit and a LinkedIn referral, never identified
    _web(15, "w-z-1", "page", "anon-z", "2026-06-20 08:00:00+00", path="/", medium="QR"),
    _web(
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

CONFIG_SQL = r"""
create table config.engagement_rules (
    rule_id varchar, rule_group varchar, activity varchar, points double, description varchar
);
insert into config.engagement_rules values
    ('pricing_page_view', 'web', 'pricing_page_view', 10, 'Pricing page view'),
    ('brochure_download', 'web', 'brochure_download', 5, 'Brochure download'),
    ('contact_form', 'web', 'contact_form', 15, 'Contact form'),
    ('chat_started', 'web', 'chat_started', 8, 'Chat started'),
    ('long_session', 'web', 'long_session', 3, 'Time on site over 5 minutes in one session');

create table config.fit_rules (
    rule_id varchar, rule_group varchar, field varchar, match varchar, list_values varchar[],
    min_value double, max_value double, pattern varchar, exclusive_group varchar,
    priority integer, points double, is_disqualifier boolean, description varchar
);
insert into config.fit_rules values
    ('ideal_industry', 'industry', 'industry', 'in_list',
     ['Software', 'Technology', 'Financial Services', 'Finance', 'Banking', 'Healthcare'],
     null, null, null, null, 1, 15, false, 'Ideal industry'),
    ('company_size', 'company_size', 'employee_count', 'between', null, 50, 1000, null, null,
     1, 15, false, '50-1000 employees'),
    ('senior_title', 'seniority', 'title', 'pattern', null, null, null,
     '\b(vp|vice president|director|head|chief .*officer|ceo|cto|cfo|coo|cmo|cio|cro)\b',
     'seniority', 1, 20, false, 'VP, director, head or C-level'),
    ('manager_title', 'seniority', 'title', 'pattern', null, null, null, '\bmanager\b',
     'seniority', 2, 10, false, 'Manager'),
    ('junior_title', 'seniority', 'title', 'pattern', null, null, null, '\b(student|intern)\b',
     'seniority', 3, -20, false, 'Student or intern'),
    ('free_mail', 'email_domain', 'email_domain', 'in_list',
     ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com',
      'gmx.de', 'mail.com', 'proton.me'],
     null, null, null, null, 1, -10, false, 'Free-mail domain'),
    ('competitor_domain', 'email_domain', 'email_domain', 'in_list',
     ['scorely.io', 'leadpilot.com'], null, null, null, null, 1, 0, true, 'Competitor');

create table config.grade_thresholds (scale varchar, label varchar, min_score double);
insert into config.grade_thresholds values
    ('fit_grade', 'A', 40), ('fit_grade', 'B', 25), ('fit_grade', 'C', 10),
    ('fit_grade', 'D', null),
    ('engagement_tier', '1', 50), ('engagement_tier', '2', 20), ('engagement_tier', '3', null);

create table config.bands (grid_cell varchar, band varchar);
insert into config.bands values
    ('A1', 'hot'), ('A2', 'hot'), ('B1', 'hot'),
    ('A3', 'warm'), ('B2', 'warm'), ('C1', 'warm'),
    (null, 'cold');

create table config.alert_thresholds (threshold double);
insert into config.alert_thresholds values (60);

create table config.rule_settings (
    rules_version varchar, session_gap_minutes integer, long_session_minutes integer
);
insert into config.rule_settings values ('test-rules-1', 30, 5);
"""


def build_warehouse(path: Path) -> None:
    """Create the raw and config tables of the spec in a new DuckDB file and fill them."""
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(RAW_DDL)
        for table in REJECTED_TABLES:
            con.execute(REJECTED_DDL.format(table=table))
        _insert_rows(con)
        # dlt creates a column only once a non-null value arrives: these never had one
        for table, column in ABSENT_COLUMNS:
            con.execute(f"alter table {table} drop column {column}")
        con.execute(CONFIG_SQL)
        write_identity_tables(con, load_identity_config(DEFAULT_IDENTITY_RULES_PATH), [])
    finally:
        con.close()


FUZZY_MATCH_COLUMNS = {
    "left_key_type": "varchar",
    "left_key_value": "varchar",
    "right_key_type": "varchar",
    "right_key_value": "varchar",
    "match_probability": "double",
    "match_weight": "double",
}


def write_identity_tables(
    con: duckdb.DuckDBPyConnection,
    config: IdentityConfig,
    fuzzy_matches: list[tuple[str, str, str, str, float, float]],
) -> None:
    """(Re)write config.identity_* from `config` and identity.fuzzy_matches from the pairs."""
    con.execute("create schema if not exists config")
    con.execute("create schema if not exists identity")
    for table, rows in identity_tables(config).items():
        columns = IDENTITY_TABLE_COLUMNS[table]
        column_list = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        con.execute(f"create or replace table config.{table} ({column_list})")
        if rows:
            con.executemany(
                f"insert into config.{table} values ({', '.join('?' for _ in columns)})",
                [[row[name] for name in columns] for row in rows],
            )
    column_list = ", ".join(f"{name} {kind}" for name, kind in FUZZY_MATCH_COLUMNS.items())
    con.execute(f"create or replace table identity.fuzzy_matches ({column_list})")
    if fuzzy_matches:
        con.executemany(
            "insert into identity.fuzzy_matches values (?, ?, ?, ?, ?, ?)", fuzzy_matches
        )


def _insert_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(f"insert into raw_web.events values ({', '.join(['?'] * 34)})", WEB_EVENTS)
    con.executemany(
        "insert into raw_email.events values "
        "(?, ?, ?, ?, ?, null, null, null, null, null, null, null, null, 'June news', ?, "
        "'email/batch-1.json', ?, ?, ?)",
        [(*row, LOAD_ID, f"dlt-email-{row[-1]}") for row in EMAIL_EVENTS],
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
