"""A stale source pauses decay for its points: the tiny warehouse with the shipped rules
(45-day half-life), web silent since 2026-06-20 08:01 and a 48-hour limit, as of 2026-06-30.

Web's points age only up to its last event; email (limit not reached) decays to as-of.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from test_dbt_build import run_dbt
from warehouse_fixture import build_warehouse

from orchestration.checks.freshness import build_source_checks
from orchestration.explain import explain_lead, find_lead
from orchestration.resources import WarehouseResource
from orchestration.settings import DEFAULT_RULES_PATH

VARS = "{as_of: 2026-06-30, source_max_silence_hours: {web: 48, email: 1000}}"
AS_OF = datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=UTC)
WEB_LAST_EVENT = datetime(2026, 6, 20, 8, 1, tzinfo=UTC)  # the fixture's last web event


def age_days(at: datetime, until: datetime) -> float:
    return (until - at).total_seconds() / 86400


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work_dir = tmp_path_factory.mktemp("decay_pause")
    path = work_dir / "warehouse.duckdb"
    build_warehouse(path, DEFAULT_RULES_PATH)
    result = run_dbt(["build", "--exclude", "resource_type:test", "--vars", VARS], path, work_dir)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    return path


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_source_freshness_marks_only_the_silent_monitored_source(warehouse: Path) -> None:
    rows = {
        source: (last, stale, limit)
        for source, last, stale, limit in query(
            warehouse,
            "select source, last_event_at, is_stale, max_silence_hours from marts.source_freshness",
        )
    }
    assert rows["web"] == (WEB_LAST_EVENT.replace(tzinfo=None), True, 48.0)
    assert rows["email"][1:] == (False, 1000.0)
    assert rows["booth"][1:] == (False, None)  # not monitored: never stale


def test_web_points_age_up_to_the_last_web_event(warehouse: Path) -> None:
    ledger = query(
        warehouse,
        "select touchpoints.source, ledger.occurred_at, ledger.age_days, ledger.decay_factor, "
        "ledger.decay_paused_at from marts.score_ledger as ledger "
        "inner join marts.touchpoints as touchpoints "
        "on ledger.touchpoint_id = touchpoints.touchpoint_id",
    )
    web = [row for row in ledger if row[0] == "web"]
    others = [row for row in ledger if row[0] != "web"]
    assert web and others
    for _, occurred_at, age, factor, paused_at in web:
        expected_age = age_days(occurred_at.replace(tzinfo=UTC), WEB_LAST_EVENT)
        assert age == pytest.approx(expected_age, abs=1e-6)
        assert factor == pytest.approx(0.5 ** (expected_age / 45))
        assert paused_at == WEB_LAST_EVENT.replace(tzinfo=None)
    for _, occurred_at, age, _, paused_at in others:
        assert age == pytest.approx(age_days(occurred_at.replace(tzinfo=UTC), AS_OF), abs=1e-6)
        assert paused_at is None


def test_explain_says_decay_is_paused_and_the_check_warns(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        lines = explain_lead(connection, find_lead(connection, "alice@acme.io"))
    assert (
        "  DECAY PAUSED for web points: the web feed is stale (no events since "
        "2026-06-20 08:01 UTC), so they age only up to then"
    ) in lines
    assert any("decay paused)" in line and "pricing" in line for line in lines)

    web_fresh, _ = build_source_checks(["web"])
    result = web_fresh(warehouse=WarehouseResource(path=str(warehouse), dlt_pipelines_dir="-"))
    assert not result.passed
    assert result.description.startswith("web is stale: silent 256 h, limit 48 h")
