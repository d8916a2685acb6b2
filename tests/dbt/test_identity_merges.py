"""Salesforce merge semantics and records without a usable email, on hand-built rows.

Added to the tiny warehouse of `warehouse_fixture` (as of 2026-06-30), scored with its rules
plus the shipped sales rules (call over 2 minutes +5, meeting +15):
- Ivan: three live Salesforce leads in run 1, each with its own address (ivan.i@gmail.com,
  ivan@work.io, ivan.w@corp.io) and a call logged on the first. Before run 2, Salesforce
  merges them in a chain: 00QI1 into 00QI2, then 00QI2 into 00QI3 (the master).
- Judy: a live Salesforce lead without an Email, with a call and a meeting.
- Kate: a Zendesk user without an email (name only) who opened a ticket; Splink matched her
  to kate@k.io, which a browser identified as.
- Carl: a Zendesk user without an email that Splink matched to two addresses at one company
  (namesakes: carl@umbrella.com and carl.weiss@umbrella.com): ambiguous, no join.
- Liam: a Zendesk user without an email matched below the threshold.
- Nina: a Zendesk user known by name only, matched (0.87) to nina@n.io on nothing but the
  names: at or above the name-only threshold (0.8), so she joins.
- Otto: matched at 0.87 on more than the names: below the threshold (0.95), he stays apart.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from test_dbt_build import AS_OF_VARS, lead_id, run_dbt
from test_identity import insert_web_events, query
from warehouse_fixture import FIXTURE_RULES, LOAD_ID, build_warehouse, write_identity_tables

from orchestration.config.identity import load_identity_config
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH

MODELS = [
    "build",
    "--select",
    "+lead_scores",
    "+lead_identities",
    "+lead_id_aliases",
    "--indirect-selection",
    "cautious",
    "--vars",
    AS_OF_VARS,
]
SALES_RULES = [
    {
        "id": "sales_call",
        "group": "sales",
        "activity": "sales_call",
        "duration_over_seconds": 120,
        "points": 5,
        "description": "Sales call over 2 minutes",
    },
    {
        "id": "sales_meeting",
        "group": "sales",
        "activity": "sales_meeting",
        "points": 15,
        "description": "Sales meeting",
    },
]
LEAD_COLUMNS = (
    "id, email, first_name, last_name, company, status, created_date, last_modified_date, "
    "is_converted, is_deleted, master_record_id, file, position, _dlt_load_id, _dlt_id"
)
# (id, email, created, last modified, is_deleted, master)
CREATED = {"00QI1": "2026-06-01 10:00:00+00", "00QI2": "2026-06-02 10:00:00+00"}
IVAN_RUN_1 = [
    ("00QI1", "ivan.i@gmail.com", "2026-06-01 10:00:00+00", "2026-06-01 10:00:00+00", False, None),
    ("00QI2", "ivan@work.io", "2026-06-02 10:00:00+00", "2026-06-02 10:00:00+00", False, None),
    ("00QI3", "ivan.w@corp.io", "2026-06-03 10:00:00+00", "2026-06-03 10:00:00+00", False, None),
]  # fmt: skip
IVAN_MERGES = [
    ("00QI1", "ivan.i@gmail.com", CREATED["00QI1"], "2026-06-20 10:00:00+00", True, "00QI2"),
    ("00QI2", "ivan@work.io", CREATED["00QI2"], "2026-06-21 10:00:00+00", True, "00QI3"),
]
JUDY = [("00QJ1", None, "2026-06-05 10:00:00+00", "2026-06-05 10:00:00+00", False, None)]


def key_lead_id(key_type: str, key_value: str) -> str:
    """The id a person record without any email gets: md5 of `key_type:key_value`."""
    return lead_id(f"{key_type}:{key_value}")


def insert_leads(con: duckdb.DuckDBPyConnection, rows: list[tuple], first: int) -> None:
    con.executemany(
        f"insert into raw_crm.leads ({LEAD_COLUMNS}) values "  # noqa: S608 - fixed columns
        "(?, ?, ?, ?, 'Orbit', 'Open', ?, ?, false, ?, ?, 'crm/leads/merges.json', ?, ?, ?)",
        [
            (lid, email, first_name, "Petrov" if lid.startswith("00QI") else "Jones", created,
             modified, deleted, master, first + n, LOAD_ID, f"{lid}-{n}")
            for n, (lid, email, created, modified, deleted, master) in enumerate(rows)
            for first_name in ["Ivan" if lid.startswith("00QI") else "Judy"]
        ],
    )  # fmt: skip


def add_people(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as con:
        # the fixture's leads predate the column (an evolving schema): it arrives with merges
        con.execute("alter table raw_crm.leads add column master_record_id varchar")
        insert_leads(con, IVAN_RUN_1, 100)
        insert_leads(con, JUDY, 200)
        con.executemany(
            "insert into raw_crm.tasks values (?, ?, ?, ?, ?, '2026-06-10', 'Completed', ?, ?, "
            "'crm/tasks/merges.json', ?, ?, ?)",
            [
                (tid, who, subject, kind, duration, at, at, pos, LOAD_ID, tid)
                for tid, who, subject, kind, duration, at, pos in TASKS
            ],
        )
        con.executemany(
            "insert into raw_support.users values (?, null, ?, 'end-user', 1, "
            "'support/merges.json', ?, ?, ?)",
            [(uid, name, n, LOAD_ID, f"u{uid}") for n, (uid, name) in enumerate(ZENDESK_USERS)],
        )
        con.executemany(
            "insert into raw_support.tickets values (?, '2026-06-14 09:00:00+00', "
            "'2026-06-14 09:00:00+00', 'Question', 'Hi', 'open', 'normal', 'question', '[]', ?, "
            "'web', null, 1, 'support/merges.json', ?, ?, ?)",
            [(tid, uid, n, LOAD_ID, f"t{tid}") for n, (tid, uid) in enumerate(TICKETS, start=10)],
        )
        insert_web_events(
            con,
            [
                ("i-kate", "identify", "c-kate", None, "2026-06-13 09:00:00+00", "kate@k.io"),
                ("i-nina", "identify", "c-nina", None, "2026-06-13 09:00:00+00", "nina@n.io"),
            ],
            300,
        )
        write_identity_tables(con, load_identity_config(DEFAULT_IDENTITY_RULES_PATH), PAIRS)


# (id, WhoId, subject, type, duration, created, position)
TASKS = [
    ("00TI1", "00QI1", "Intro call", "Call", 300, "2026-06-10 15:00:00+00", 1),
    ("00TJ1", "00QJ1", "Intro call", "Call", 200, "2026-06-11 15:00:00+00", 2),
    ("00TJ2", "00QJ1", "Discovery", "Meeting", None, "2026-06-12 15:00:00+00", 3),
]
ZENDESK_USERS = [
    (7001, "Kate King"), (7002, "Carl Weiss"), (7003, "Liam Long"), (7004, "Nina Nash"),
    (7005, "Otto Ost"),
]  # fmt: skip
TICKETS = [(8001, 7001), (8002, 7002), (8003, 7003), (8004, 7004), (8005, 7005)]
# (left source, key type, key, seen at, right key type, address, probability, weight, only
# the names compared)
PAIRS = [
    ("support", "zendesk_user_id", "7001", None, "email", "kate@k.io", 0.99, 9.1, False),
    ("support", "zendesk_user_id", "7002", None, "email", "carl@umbrella.com", 0.97, 7.2, False),
    (
        "support",
        "zendesk_user_id",
        "7002",
        None,
        "email",
        "carl.weiss@umbrella.com",
        0.97,
        7.2,
        False,
    ),
    ("support", "zendesk_user_id", "7003", None, "email", "liam@l.io", 0.50, 0.1, False),
    ("support", "zendesk_user_id", "7004", None, "email", "nina@n.io", 0.87, 2.7, True),
    ("support", "zendesk_user_id", "7005", None, "email", "otto@o.io", 0.87, 2.7, False),
]


def rules_with_sales(path: Path) -> Path:
    rules = yaml.safe_load(FIXTURE_RULES.read_text())
    rules["engagement"] = [*rules["engagement"], *SALES_RULES]
    path.write_text(yaml.safe_dump(rules, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Run 1, then Salesforce merges Ivan's leads and run 2 goes on a copy."""
    work_dir = tmp_path_factory.mktemp("identity_merges")
    rules = rules_with_sales(work_dir / "rules.yml")
    first = work_dir / "run1.duckdb"
    build_warehouse(first, rules)
    add_people(first)
    result = run_dbt(MODELS, first, work_dir)
    assert result.returncode == 0, result.stdout[-5000:]
    second = work_dir / "run2.duckdb"
    shutil.copy(first, second)
    with duckdb.connect(str(second)) as con:
        insert_leads(con, IVAN_MERGES, 300)
    result = run_dbt(MODELS, second, work_dir)
    assert result.returncode == 0, result.stdout[-5000:]
    return first, second


def lead_of_task(warehouse: Path, task_id: str) -> str | None:
    (row,) = query(
        warehouse, f"select lead_id from marts.touchpoints where source_record_id = '{task_id}'"
    )
    return row[0]


def test_before_the_merge_each_lead_is_its_own_person(runs: tuple[Path, Path]) -> None:
    leads = query(
        runs[0],
        "select email, lead_id from marts.lead_profiles where first_name = 'Ivan' order by 1",
    )
    emails = ["ivan.i@gmail.com", "ivan.w@corp.io", "ivan@work.io"]
    assert leads == [(email, lead_id(email)) for email in emails]
    assert lead_of_task(runs[0], "00TI1") == lead_id("ivan.i@gmail.com")


def test_a_merge_chain_gives_every_address_and_task_to_the_master(
    runs: tuple[Path, Path],
) -> None:
    master = lead_id("ivan.w@corp.io")
    assert query(
        runs[1], "select lead_id, email from marts.lead_profiles where first_name = 'Ivan'"
    ) == [(master, "ivan.w@corp.io")]
    identities_sql = "select key_type, key_value from marts.lead_identities where lead_id = "
    assert set(query(runs[1], f"{identities_sql}'{master}'")) == {
        ("salesforce_lead_id", "00QI1"),
        ("salesforce_lead_id", "00QI2"),
        ("salesforce_lead_id", "00QI3"),
        ("email", "ivan.i@gmail.com"),
        ("email", "ivan@work.io"),
        ("email", "ivan.w@corp.io"),
    }  # fmt: skip
    # the call logged on the first lead, before the merges, is the master's person's now
    assert lead_of_task(runs[1], "00TI1") == master
    aliases = query(
        runs[1],
        "select alias_email, alias_lead_id, lead_id from marts.lead_id_aliases "
        "where lead_id = '" + master + "' order by 1",
    )
    assert aliases == [
        ("ivan.i@gmail.com", lead_id("ivan.i@gmail.com"), master),
        ("ivan@work.io", lead_id("ivan@work.io"), master),
    ]


def test_a_salesforce_lead_without_email_is_a_lead_whose_calls_and_meetings_score(
    runs: tuple[Path, Path],
) -> None:
    judy = key_lead_id("salesforce_lead_id", "00QJ1")
    assert query(
        runs[1],
        "select email, first_name, last_name, crm_lead_id from marts.lead_profiles "
        f"where lead_id = '{judy}'",
    ) == [(None, "Judy", "Jones", "00QJ1")]
    assert lead_of_task(runs[1], "00TJ1") == judy
    assert lead_of_task(runs[1], "00TJ2") == judy
    ledger = query(
        runs[1],
        f"select rule_id, points from marts.score_ledger where lead_id = '{judy}' order by 1",
    )
    assert ledger == [("sales_call", 5), ("sales_meeting", 15)]
    assert query(runs[1], f"select count(*) from marts.lead_scores where lead_id = '{judy}'") == [
        (1,)
    ]


def test_a_zendesk_user_known_by_name_joins_the_address_splink_matched(
    runs: tuple[Path, Path],
) -> None:
    kate = lead_id("kate@k.io")
    assert query(
        runs[1], "select lead_id from marts.touchpoints where source_record_id = '8001'"
    ) == [(kate,)]
    ((source, link_kinds, probability),) = query(
        runs[1],
        "select source, link_kinds, match_probability from marts.lead_identities "
        "where key_type = 'zendesk_user_id' and key_value = '7001'",
    )
    assert (source, link_kinds) == ("support", ["fuzzy", "profile"])
    assert probability == pytest.approx(0.99, abs=1e-6)


def test_a_match_on_names_alone_joins_at_the_name_only_threshold(
    runs: tuple[Path, Path],
) -> None:
    assert query(
        runs[1], "select lead_id from marts.touchpoints where source_record_id = '8004'"
    ) == [(lead_id("nina@n.io"),)]
    otto = key_lead_id("zendesk_user_id", "7005")
    assert query(
        runs[1], "select lead_id from marts.touchpoints where source_record_id = '8005'"
    ) == [(otto,)]


def test_namesakes_and_weak_matches_stay_leads_of_their_own(runs: tuple[Path, Path]) -> None:
    for user, ticket in (("7002", "8002"), ("7003", "8003"), ("7005", "8005")):
        own = key_lead_id("zendesk_user_id", user)
        assert query(
            runs[1], f"select lead_id from marts.touchpoints where source_record_id = '{ticket}'"
        ) == [(own,)]
        assert query(
            runs[1], f"select count(*) from marts.lead_identities where lead_id = '{own}'"
        ) == [(1,)]
    for address in ("carl@umbrella.com", "carl.weiss@umbrella.com", "liam@l.io", "otto@o.io"):
        assert query(
            runs[1],
            f"select count(*) from marts.lead_identities where key_value = '{address}'",
        ) == [(0,)]
