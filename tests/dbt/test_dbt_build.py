"""`dbt build` on a tiny hand-written warehouse: exact scores, ledger rows, bands, as-of."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from warehouse_fixture import FIXTURE_RULES, build_warehouse

from orchestration.config.rules import load_rules

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
# The fixture quarantines 1 of 4 web records: a 0.5 threshold keeps the build warning-free.
AS_OF_VARS = "{as_of: 2026-06-30, quarantine_rate_max: 0.5}"

ALICE = "alice@acme.io"
BOB = "bob@scorely.io"
CAROL = "carol@finbank.com"


@dataclass(frozen=True)
class DbtRun:
    warehouse: Path
    returncode: int
    output: str


def run_dbt(args: list[str], warehouse: Path, work_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run dbt against `warehouse`, keeping target/ and logs/ out of the project dir."""
    env = {
        **os.environ,
        "LEADSCORE_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(DBT_EXECUTABLE),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    return subprocess.run(  # noqa: S603 - fixed executable and arguments
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def lead_id(email: str) -> str:
    return "ld_" + hashlib.md5(email.encode()).hexdigest()[:16]  # noqa: S324 - an id, not security


@pytest.fixture(scope="module")
def dbt_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    work_dir = tmp_path_factory.mktemp("dbt_build")
    warehouse = work_dir / "warehouse.duckdb"
    build_warehouse(warehouse)
    result = run_dbt(["build", "--vars", AS_OF_VARS], warehouse, work_dir)
    return DbtRun(warehouse, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def warehouse(dbt_build: DbtRun) -> Iterator[duckdb.DuckDBPyConnection]:
    assert dbt_build.returncode == 0, dbt_build.output[-5000:]
    con = duckdb.connect(str(dbt_build.warehouse), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def test_dbt_build_passes_every_model_and_test(dbt_build: DbtRun) -> None:
    assert dbt_build.returncode == 0, dbt_build.output[-5000:]
    assert "ERROR=0" in dbt_build.output
    assert "WARN=0" in dbt_build.output


def test_lead_scores_are_exact(warehouse: duckdb.DuckDBPyConnection) -> None:
    scores = {
        row[0]: row[1:]
        for row in rows(
            warehouse,
            "select profiles.email, scores.fit_score, scores.engagement_score, "
            "scores.total_score, scores.is_disqualified, scores.fit_grade, "
            "scores.engagement_tier, scores.grid_cell, scores.band, scores.score_percentile, "
            "scores.rules_version, cast(scores.as_of as varchar) "
            "from marts.lead_scores as scores "
            "inner join marts.lead_profiles as profiles on scores.lead_id = profiles.lead_id",
        )
    }
    as_of = "2026-06-30 23:59:59.999999"
    version = load_rules(FIXTURE_RULES).rules_version
    assert scores == {
        # fit: software 15 + 200 employees 15 + "Head of Growth" 20; engagement: 2 pricing
        # views 20 + brochure 5 + chat 8 + long session 3
        ALICE: (50.0, 36.0, 86.0, False, "A", "2", "A2", "hot", 100.0, version, as_of),
        # competitor domain: disqualified, scored 0, graded as zero -> D3 -> cold
        BOB: (50.0, 15.0, 0.0, True, "D", "3", "D3", "cold", 0.0, version, as_of),
        # fit: Finance 15 + "Marketing Manager" 10 (5000 employees: no points); engagement:
        # pricing 10 + contact form 15 (a 5-minute session is not over 5 minutes)
        CAROL: (25.0, 25.0, 50.0, False, "B", "2", "B2", "warm", 66.67, version, as_of),
        # Nora Noemail's badge (no email, no match) is a lead of its own (issue 15): fit 20
        # from the profile, no engagement rule for a scan in the fixture rules -> C3, cold;
        # she moves Carol's percentile from 50 to 66.67 (4 leads instead of 3)
        None: (20.0, 0.0, 20.0, False, "C", "3", "C3", "cold", 33.33, version, as_of),
    }


def test_score_ledger_has_one_row_per_point(warehouse: duckdb.DuckDBPyConnection) -> None:
    ledger = rows(
        warehouse,
        "select profiles.email, ledger.rule_id, ledger.rule_kind, ledger.points, "
        "ledger.points_effective, strftime(ledger.occurred_at, '%m-%d %H:%M'), "
        "touchpoints.source_record_id "
        "from marts.score_ledger as ledger "
        "inner join marts.lead_profiles as profiles on ledger.lead_id = profiles.lead_id "
        "left join marts.touchpoints as touchpoints "
        "on ledger.touchpoint_id = touchpoints.touchpoint_id "
        "order by all",
    )
    assert ledger == [
        (ALICE, "brochure_download", "engagement", 5.0, 5.0, "06-10 10:04", "w-a-4"),
        (ALICE, "chat_started", "engagement", 8.0, 8.0, "06-10 10:06", "w-a-5"),
        (ALICE, "company_size", "fit", 15.0, 15.0, None, None),
        (ALICE, "ideal_industry", "fit", 15.0, 15.0, None, None),
        (ALICE, "long_session", "engagement", 3.0, 3.0, "06-10 10:06", "w-a-5"),
        (ALICE, "pricing_page_view", "engagement", 10.0, 10.0, "06-10 10:02", "w-a-2"),
        (ALICE, "pricing_page_view", "engagement", 10.0, 10.0, "06-10 10:03", "w-a-3"),
        (ALICE, "senior_title", "fit", 20.0, 20.0, None, None),
        (BOB, "company_size", "fit", 15.0, 15.0, None, None),
        (BOB, "competitor_domain", "fit", 0.0, 0.0, None, None),
        (BOB, "contact_form", "engagement", 15.0, 15.0, "06-12 14:00", "w-b-1"),
        (BOB, "ideal_industry", "fit", 15.0, 15.0, None, None),
        (BOB, "senior_title", "fit", 20.0, 20.0, None, None),
        (CAROL, "contact_form", "engagement", 15.0, 15.0, "06-15 09:05", "w-c-3"),
        (CAROL, "ideal_industry", "fit", 15.0, 15.0, None, None),
        (CAROL, "manager_title", "fit", 10.0, 10.0, None, None),
        (CAROL, "pricing_page_view", "engagement", 10.0, 10.0, "06-15 09:00", "w-c-2"),
        # Nora's badge without email is a lead of its own (issue 15): her CEO title is fit
        (None, "senior_title", "fit", 20.0, 20.0, None, None),
    ]


def test_top_reasons_name_the_largest_rules(warehouse: duckdb.DuckDBPyConnection) -> None:
    reasons = dict(
        rows(
            warehouse,
            "select profiles.email, scores.top_reasons from marts.lead_scores as scores "
            "inner join marts.lead_profiles as profiles on scores.lead_id = profiles.lead_id",
        )
    )
    assert reasons == {
        ALICE: "pricing_page_view +20.00; senior_title +20.00; company_size +15.00",
        BOB: "competitor_domain (disqualified); senior_title +20.00; company_size +15.00",
        CAROL: "contact_form +15.00; ideal_industry +15.00; manager_title +10.00",
        None: "senior_title +20.00",  # Nora, a badge without email (a lead of its own)
    }


def test_events_after_as_of_are_ignored(warehouse: duckdb.DuckDBPyConnection) -> None:
    late_web = rows(
        warehouse,
        "select count(*) from marts.touchpoints where source_record_id in ('w-a-8', 'w-c-4')",
    )
    assert late_web == [(0,)]
    assert rows(warehouse, "select count(*) from staging.stg_web__events") == [(14,)]
    # the Salesforce lead version of 2026-07-05 (title CFO) is not seen yet
    assert rows(warehouse, f"select title from marts.lead_profiles where email = '{CAROL}'") == [
        ("Marketing Manager",)
    ]
    assert rows(
        warehouse,
        "select count(*) from marts.score_ledger "
        "where occurred_at > timestamp '2026-06-30 23:59:59.999999'",
    ) == [(0,)]


def test_one_lead_per_person_with_aliases_resolved(warehouse: duckdb.DuckDBPyConnection) -> None:
    assert rows(warehouse, "select lead_id, email from marts.lead_profiles order by email") == [
        (lead_id(ALICE), ALICE),
        (lead_id(BOB), BOB),
        (lead_id(CAROL), CAROL),
        # Nora's badge names her without an email: a lead of its own, id from its key
        (lead_id("booth_scan:saastr-2026/scans.csv#2"), None),
    ]
    # Bob's LinkedIn EMAIL answer is an alias of his WORK_EMAIL: the click on it is his
    click = rows(
        warehouse,
        "select lead_id, identity_key_value from marts.touchpoints where source_record_id = 'e-3'",
    )
    assert click == [(lead_id(BOB), "bob.b@gmail.com")]
    # the Zendesk agent is staff and never a lead
    assert rows(
        warehouse, "select count(*) from marts.lead_identities where email = 'agent@ourco.com'"
    ) == [(0,)]
    carol_keys = rows(
        warehouse,
        f"select source, key_type, key_value from marts.lead_identities "
        f"where lead_id = '{lead_id(CAROL)}' and key_type <> 'email' order by all",
    )
    assert carol_keys == [
        ("crm", "salesforce_contact_id", "003A"),
        ("crm", "salesforce_lead_id", "00Q000000000001"),
        ("support", "zendesk_user_id", "9001"),
        ("web", "anonymous_id", "anon-c"),
    ]


def test_touchpoints_map_activities_and_channels(warehouse: duckdb.DuckDBPyConnection) -> None:
    touchpoints = rows(
        warehouse,
        "select source_record_id, source, channel, activity, lead_id is not null "
        "from marts.touchpoints order by source_record_id",
    )
    assert touchpoints == [
        ("00T1", "crm", "sales", "sales_call", True),
        ("500", "support", "support", "support_ticket", True),
        ("e-1", "email", "email", "email_delivered", True),
        # e-2 is a machine open, e-4 a `processed` event: neither is a touchpoint
        ("e-3", "email", "email", "email_click", True),
        ("resp-1", "social", "social", "social_form", True),
        ("saastr-2026/scans.csv#1", "booth", "event", "booth_scan", True),
        ("saastr-2026/scans.csv#2", "booth", "event", "booth_scan", True),  # Nora's own lead
        (
            "urn:li:reaction:(urn:li:person:bob,urn:li:activity:1)",
            "social",
            "social",
            "social_reaction",
            True,
        ),
        ("w-a-1", "web", "web", "home_view", True),
        ("w-a-2", "web", "web", "pricing_page_view", True),
        ("w-a-3", "web", "web", "pricing_page_view", True),
        ("w-a-4", "web", "web", "brochure_download", True),
        ("w-a-5", "web", "web", "chat_started", True),
        ("w-a-7", "web", "web", "blog_view", True),
        ("w-b-1", "web", "web", "contact_form", True),
        ("w-c-2", "web", "web", "pricing_page_view", True),
        ("w-c-3", "web", "web", "contact_form", True),
        ("w-z-1", "web", "direct_mail", "home_view", False),
        ("w-z-2", "web", "social", "product_page_view", False),
    ]
    expected_id = hashlib.md5(b"web:w-a-1").hexdigest()  # noqa: S324 - an id
    assert rows(
        warehouse, "select touchpoint_id from marts.touchpoints where source_record_id = 'w-a-1'"
    ) == [(expected_id,)]


def test_sessions_split_on_gap_and_flag_long_ones(warehouse: duckdb.DuckDBPyConnection) -> None:
    sessions = rows(
        warehouse,
        "select sessions.visitor_id, sessions.session_number, sessions.duration_seconds, "
        "sessions.event_count, touchpoints.source_record_id "
        "from intermediate.int_web__sessions as sessions "
        "left join marts.touchpoints as touchpoints "
        "on sessions.long_session_touchpoint_id = touchpoints.touchpoint_id order by all",
    )
    assert sessions == [
        ("anon-a", 1, 360, 5, "w-a-5"),
        ("anon-a", 2, 0, 1, None),
        ("anon-b", 1, 0, 1, None),
        ("anon-c", 1, 300, 2, None),
        ("anon-z", 1, 60, 2, None),
    ]


def test_profiles_follow_survivorship_and_crm_outcomes(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    profiles = rows(
        warehouse,
        "select email, first_name, company, title, industry, employee_count, crm_lead_id, "
        "channels, cast(first_seen_at as varchar), is_converted, "
        "cast(converted_at as varchar), is_won from marts.lead_profiles order by email",
    )
    assert profiles == [
        # booth beats web traits for name, company and title; industry only from web
        (
            ALICE,
            "Alice",
            "Acme Inc",
            "Head of Growth",
            "software",
            200,
            None,
            ["email", "event", "web"],
            "2026-06-05 13:00:00",
            False,
            None,
            False,
        ),
        # LinkedIn answers mapped by predefinedField (labels are French)
        (
            BOB,
            "Robert",
            None,
            "Director of Sales",
            "Technology",
            201,
            None,
            ["email", "social", "web"],
            "2026-06-11 12:00:00",
            False,
            None,
            False,
        ),
        # CRM beats the web identify ("Caro", "Intern")
        (
            CAROL,
            "Carol",
            "FinBank",
            "Marketing Manager",
            "Finance",
            5000,
            "00Q000000000001",
            ["sales", "support", "web"],
            "2026-06-15 09:00:00",
            True,
            "2026-06-20 10:00:00",  # the converted version, on ConvertedDate: its instant
            True,
        ),
        # a badge without email and without a match: a lead of its own (issue 15)
        (None, "Nora", "Nowhere", "CEO", None, None, None, ["event"], "2026-06-05 14:00:00",
         False, None, False),
    ]  # fmt: skip


def test_quarantine_holds_only_quarantined_rows(warehouse: duckdb.DuckDBPyConnection) -> None:
    quarantined = rows(
        warehouse,
        "select source, entity, file, position, reason, load_id from quarantine.quarantine "
        "order by all",
    )
    assert quarantined == [
        ("crm", "lead", "crm/leads/p1.json", 4, "missing_field: Id", "1750000000.000001"),
        (
            "web",
            "event",
            "web/2026-06-10/part-0001.jsonl.gz",
            17,
            "not_json: Expecting value",
            "1750000000.000001",
        ),
    ]


def test_missing_as_of_var_is_a_clear_compile_error(tmp_path: Path) -> None:
    # its own warehouse: the module's read-only connection would lock the shared one
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(warehouse)
    result = run_dbt(["compile", "--select", "stg_web__events"], warehouse, tmp_path)
    assert result.returncode != 0
    assert "leadscore needs the dbt var `as_of` (YYYY-MM-DD)" in result.stdout + result.stderr


def test_ingestion_audit_balances_the_fixture(warehouse: duckdb.DuckDBPyConnection) -> None:
    audit = rows(
        warehouse,
        "select source, entity, delivered, loaded, deduplicated, quarantined, filtered "
        "from marts.ingestion_audit where source in ('web', 'crm') and entity != 'file' "
        "order by source, entity",
    )
    web = [row for row in audit if row[0] == "web"]
    assert len(web) == 1
    _, _, delivered, loaded, deduplicated, quarantined, filtered = web[0]
    assert quarantined + filtered == 2
    assert delivered == loaded + deduplicated + quarantined + filtered
    assert deduplicated == 0


def test_a_high_quarantine_rate_warns_without_failing(dbt_build: DbtRun, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"  # the module's read-only connection holds the original
    shutil.copy(dbt_build.warehouse, copy)
    result = run_dbt(
        [
            "test",
            "--select",
            "assert_quarantine_rate_below_threshold",
            "--vars",
            "{as_of: 2026-06-30, quarantine_rate_max: 0.01}",
        ],
        copy,
        tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "WARN=1" in output
