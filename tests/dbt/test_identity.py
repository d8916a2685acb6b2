"""Identity resolution on hand-built ties: transitive joins, guard rails, Salesforce merges and
conversions, and lead ids that stay stable across runs (a merge leaves an alias).

The tiny warehouse of `warehouse_fixture` plus these people (all ties as of 2026-06-30):
- Dave: browser c-dave identifies as dave@orbit.io; browser c-dave2 identifies as product user
  u-dave without an email; u-dave later identifies as " Dave@Orbit.IO " -> one person.
- A booth kiosk browser identifies as four visitors (k1..k4): capped (4 > 3), they stay four.
- info@shop.io (a role mailbox) and the user id "N/A"/"n/a" (a placeholder) are blocked: the
  browser c-info stays anonymous and Erin and Frank, both "n/a", stay two people.
- Gina: Salesforce lead 00QG1 (gina@old.io) was merged into 00QG2 (MasterRecordId), which
  converted to contact 003G2; a call logged on the contact is hers, and so is the merged-away
  address (the master's address keeps giving her id; the other is an alias).
- Hank: emails to hank@a.io (June 1) and hank.p@gmail.com (June 8) are two people in run 1;
  in run 2 one browser identifies as both: one person with hank@a.io's id, the other an alias.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from test_dbt_build import AS_OF_VARS, BOB, lead_id, run_dbt
from warehouse_fixture import LOAD_ID, build_warehouse

from orchestration.cli import main

WEB_FILE = "web/identity.jsonl"
IDENTIFIERS_HEADER = "Identifiers (source, key type, key, how the source tied it, first seen):"
ALIASES_HEADER = "Retired ids (aliases of this lead):"
IDENTITY_MODELS = [
    "build",
    "--select",
    "+lead_profiles",
    "+lead_identities",
    "+lead_id_aliases",
    "+identity_guarded_keys",
    "+touchpoints",
    "--indirect-selection",
    "cautious",
    "--vars",
    AS_OF_VARS,
]

# (message_id, type, anonymous_id, user_id, timestamp, trait_email)
WEB_EVENTS = [
    ("i-dave-1", "identify", "c-dave", None, "2026-06-01 09:00:00+00", "dave@orbit.io"),
    ("i-dave-2", "identify", "c-dave2", "u-dave", "2026-06-02 09:00:00+00", None),
    ("i-dave-3", "identify", None, "u-dave", "2026-06-03 09:00:00+00", " Dave@Orbit.IO "),
    ("p-dave-4", "page", "c-dave2", None, "2026-06-04 09:00:00+00", None),
    ("i-kiosk-1", "identify", "kiosk-1", None, "2026-06-05 09:00:00+00", "k1@a.io"),
    ("i-kiosk-2", "identify", "kiosk-1", None, "2026-06-05 09:10:00+00", "k2@b.io"),
    ("i-kiosk-3", "identify", "kiosk-1", None, "2026-06-05 09:20:00+00", "k3@c.io"),
    ("i-kiosk-4", "identify", "kiosk-1", None, "2026-06-05 09:30:00+00", "k4@d.io"),
    ("i-info-1", "identify", "c-info", None, "2026-06-06 09:00:00+00", "info@shop.io"),
    ("p-info-2", "page", "c-info", None, "2026-06-06 09:05:00+00", None),
    ("i-erin-1", "identify", "c-erin", "N/A", "2026-06-07 09:00:00+00", "erin@e.io"),
    ("i-frank-1", "identify", "c-frank", "n/a", "2026-06-07 10:00:00+00", "frank@f.io"),
]
HANK_MERGE_EVENTS = [
    ("i-hank-1", "identify", "c-hank", None, "2026-06-09 09:00:00+00", "hank.p@gmail.com"),
    ("i-hank-2", "identify", "c-hank", None, "2026-06-09 10:00:00+00", "hank@a.io"),
]
# (sg_event_id, email, timestamp)
EMAIL_EVENTS = [
    ("sg-hank-1", "hank@a.io", "2026-06-01 08:00:00+00"),
    ("sg-hank-2", "hank.p@gmail.com", "2026-06-08 08:00:00+00"),
]


def insert_web_events(con: duckdb.DuckDBPyConnection, events: list[tuple], first: int) -> None:
    con.executemany(
        'insert into raw_web.events (message_id, type, anonymous_id, user_id, "timestamp", '
        "received_at, sent_at, trait_email, page_path, file, position, _dlt_load_id, _dlt_id) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, case when ? = 'page' then '/' end, ?, ?, ?, ?)",
        [
            (mid, kind, anon, user, at, at, at, email, kind, WEB_FILE, first + n, LOAD_ID, mid)
            for n, (mid, kind, anon, user, at, email) in enumerate(events)
        ],
    )


def add_identity_people(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as con:
        insert_web_events(con, WEB_EVENTS, 100)
        con.executemany(
            "insert into raw_email.events (sg_event_id, is_event_id_derived, email, event, "
            '"timestamp", is_machine_open, file, position, _dlt_load_id, _dlt_id) '
            "values (?, false, ?, 'open', ?, false, 'email/identity.json', ?, ?, ?)",
            [(sg, email, at, n, LOAD_ID, sg) for n, (sg, email, at) in enumerate(EMAIL_EVENTS)],
        )
        con.execute("alter table raw_crm.leads add column master_record_id varchar")
        con.execute(
            "insert into raw_crm.leads (id, email, first_name, last_name, company, status, "
            "created_date, last_modified_date, is_converted, converted_date, "
            "converted_contact_id, is_deleted, master_record_id, file, position, _dlt_load_id, "
            "_dlt_id) values "
            "('00QG1', 'gina@old.io', 'Gina', 'Gold', 'Goldco', 'Open', "
            "'2026-06-01 10:00:00+00', '2026-06-10 10:00:00+00', false, null, null, true, "
            "'00QG2', 'crm/leads/identity.json', 1, ?, 'g1'), "
            "('00QG2', 'gina@new.io', 'Gina', 'Gold', 'Goldco', 'Closed - Converted', "
            "'2026-06-05 10:00:00+00', '2026-06-12 10:00:00+00', true, '2026-06-12', '003G2', "
            "false, null, 'crm/leads/identity.json', 2, ?, 'g2')",
            [LOAD_ID, LOAD_ID],
        )
        con.execute(
            "insert into raw_crm.tasks values ('00TG', '003G2', 'Call', 'Call', 200, "
            "'2026-06-15', 'Completed', '2026-06-15 15:00:00+00', '2026-06-15 15:00:00+00', "
            "'crm/tasks/identity.json', 1, ?, 'tg')",
            [LOAD_ID],
        )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Run 1, then the Hank merge arrives and run 2 goes on a copy: (run 1, run 2) warehouses."""
    work_dir = tmp_path_factory.mktemp("identity")
    first = work_dir / "run1.duckdb"
    build_warehouse(first)
    add_identity_people(first)
    result = run_dbt(IDENTITY_MODELS, first, work_dir)
    assert result.returncode == 0, result.stdout[-5000:]
    second = work_dir / "run2.duckdb"
    shutil.copy(first, second)
    with duckdb.connect(str(second)) as con:
        insert_web_events(con, HANK_MERGE_EVENTS, 200)
    result = run_dbt(IDENTITY_MODELS, second, work_dir)
    assert result.returncode == 0, result.stdout[-5000:]
    return first, second


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def identities_of(warehouse: Path, email: str) -> set[tuple]:
    return set(
        query(
            warehouse,
            "select source, key_type, key_value from marts.lead_identities "
            f"where lead_id = '{lead_id(email)}'",
        )
    )


def test_keys_join_transitively_through_a_user_id(runs: tuple[Path, Path]) -> None:
    assert identities_of(runs[1], "dave@orbit.io") == {
        ("web", "anonymous_id", "c-dave"),
        ("web", "anonymous_id", "c-dave2"),
        ("web", "user_id", "u-dave"),
        ("web", "email", "dave@orbit.io"),
    }


def test_a_shared_kiosk_browser_is_capped_and_reported(runs: tuple[Path, Path]) -> None:
    guarded = query(
        runs[1],
        "select key_type, key_value, guard, block_reason, linked_people, sources "
        "from marts.identity_guarded_keys where key_value in "
        "('kiosk-1', 'info@shop.io', 'N/A', 'n/a') order by key_value",
    )
    assert guarded == [
        ("user_id", "N/A", "blocked", "placeholder", 1, ["web"]),
        ("email", "info@shop.io", "blocked", "email_local_part", 1, ["web"]),
        ("anonymous_id", "kiosk-1", "capped", None, 4, ["web"]),
        ("user_id", "n/a", "blocked", "placeholder", 1, ["web"]),
    ]
    for email in ("k1@a.io", "k2@b.io", "k3@c.io", "k4@d.io"):
        assert identities_of(runs[1], email) == {("web", "email", email)}


def test_blocked_values_never_join_anyone(runs: tuple[Path, Path]) -> None:
    assert identities_of(runs[1], "erin@e.io") == {
        ("web", "anonymous_id", "c-erin"),
        ("web", "email", "erin@e.io"),
    }
    assert identities_of(runs[1], "frank@f.io") == {
        ("web", "anonymous_id", "c-frank"),
        ("web", "email", "frank@f.io"),
    }
    assert query(
        runs[1], "select count(*) from marts.lead_identities where key_value = 'c-info'"
    ) == [(0,)]
    assert query(
        runs[1], "select lead_id from marts.touchpoints where source_record_id = 'p-info-2'"
    ) == [(None,)]


def test_merged_and_converted_salesforce_leads_are_one_person(runs: tuple[Path, Path]) -> None:
    assert identities_of(runs[1], "gina@new.io") == {
        ("crm", "salesforce_lead_id", "00QG1"),
        ("crm", "salesforce_lead_id", "00QG2"),
        ("crm", "salesforce_contact_id", "003G2"),
        ("crm", "email", "gina@new.io"),
        ("crm", "email", "gina@old.io"),
    }
    touchpoint_leads = query(
        runs[1],
        "select source_record_id, lead_id from marts.touchpoints "
        "where source_record_id in ('00TG', 'p-dave-4') order by 1",
    )
    assert touchpoint_leads == [
        ("00TG", lead_id("gina@new.io")),
        ("p-dave-4", lead_id("dave@orbit.io")),
    ]


def test_lead_ids_are_stable_and_a_merge_leaves_an_alias(runs: tuple[Path, Path]) -> None:
    first, second = runs
    profiles_sql = "select email, lead_id from marts.lead_profiles"
    before, after = dict(query(first, profiles_sql)), dict(query(second, profiles_sql))
    assert before["hank@a.io"] == lead_id("hank@a.io")
    assert before["hank.p@gmail.com"] == lead_id("hank.p@gmail.com")
    # every other person keeps its id; Hank's two profiles became one, with the older id
    assert after == {email: lid for email, lid in before.items() if email != "hank.p@gmail.com"}
    aliases_sql = (
        "select alias_lead_id, lead_id, alias_email, cast(alias_first_seen_at as varchar) "
        "from marts.lead_id_aliases order by alias_email"
    )
    # Bob's gmail address on his LinkedIn form (fixture) was an alias from the start
    bob_alias = (
        lead_id("bob.b@gmail.com"),
        lead_id(BOB),
        "bob.b@gmail.com",
        "2026-06-11 12:00:00",
    )
    # Gina's merged-away Salesforce lead brought its address: an alias of the master's id
    gina_alias = (
        lead_id("gina@old.io"),
        lead_id("gina@new.io"),
        "gina@old.io",
        "2026-06-01 10:00:00",
    )
    assert query(first, aliases_sql) == [bob_alias, gina_alias]
    assert query(second, aliases_sql) == [
        bob_alias,
        gina_alias,
        (
            lead_id("hank.p@gmail.com"),
            lead_id("hank@a.io"),
            "hank.p@gmail.com",
            "2026-06-08 08:00:00",
        ),
    ]


def test_explain_lists_every_identifier_with_its_source(
    runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", " Hank.P@Gmail.com", "--warehouse", str(runs[1])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Lead {lead_id('hank@a.io')}  hank@a.io  (email from web)"
    identifiers = lines[lines.index(IDENTIFIERS_HEADER) + 1 : lines.index(ALIASES_HEADER)]
    assert [line.split()[:4] for line in identifiers] == [
        ["web", "anonymous_id", "c-hank", "[identify]"],
        ["email", "email", "hank.p@gmail.com", "[recipient]"],
        ["web", "email", "hank.p@gmail.com", "[identify]"],
        ["email", "email", "hank@a.io", "[recipient]"],
        ["web", "email", "hank@a.io", "[identify]"],
    ]
    assert lines[-1] == f"  {lead_id('hank.p@gmail.com')}  (from hank.p@gmail.com)"
