"""Break a source on purpose, on a small hand-made warehouse: the right check fails or warns,
with a message a data engineer understands."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.checks.freshness import build_source_checks
from orchestration.checks.suites import build_suite_checks
from orchestration.resources import QualityResource, ScoringResource, WarehouseResource
from quality.suites import SUITES_DIR, load_suite, load_suites
from quality.thresholds import DEFAULT_THRESHOLDS_PATH

AS_OF = "2026-06-30"
OLD_LOAD, NEW_LOAD = "1782000000.1", "1782086400.1"


@pytest.fixture()
def warehouse(tmp_path: Path) -> WarehouseResource:
    resource = WarehouseResource(path=str(tmp_path / "w.duckdb"), dlt_pipelines_dir=str(tmp_path))
    with resource.connect() as connection:
        connection.execute(
            """
            create schema raw_web;
            create table raw_web.events (
                message_id varchar, type varchar, anonymous_id varchar,
                "timestamp" timestamptz, _dlt_load_id varchar
            );
            insert into raw_web.events
            select 'old-' || i, 'page', 'a', timestamptz '2026-06-28 10:00:00+00', ?
            from range(5) as t(i);
            """,
            [OLD_LOAD],
        )
    return resource


def run_suite_check(name: str, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    (check,) = build_suite_checks([load_suite(SUITES_DIR / f"{name}.yml")])
    return check(warehouse=warehouse, scoring=ScoringResource(rules_path="-", as_of=AS_OF))


def quality() -> QualityResource:
    return QualityResource(thresholds_path=str(DEFAULT_THRESHOLDS_PATH))


def add_web_load(warehouse: WarehouseResource, rows: str) -> None:
    with warehouse.connect() as connection:
        connection.execute(f"insert into raw_web.events {rows}", [NEW_LOAD])  # noqa: S608


def test_a_healthy_newest_load_passes(warehouse: WarehouseResource) -> None:
    add_web_load(
        warehouse,
        "select 'new-' || i, 'track', 'a', timestamptz '2026-06-30 10:00:00+00', ? "
        "from range(4) as t(i)",
    )
    result = run_suite_check("raw_web__events", warehouse)
    assert result.passed
    assert result.metadata["rows_validated"].value == 4  # the newest load only


def test_a_renamed_timestamp_field_fails_the_raw_suite(warehouse: WarehouseResource) -> None:
    # Segment renamed `timestamp`: dlt evolves a new column and leaves this one empty
    add_web_load(
        warehouse,
        "select 'new-' || i, 'track', 'a', null, ? from range(3) as t(i)",
    )
    result = run_suite_check("raw_web__events", warehouse)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.description.startswith(
        "timestamp: expect_column_values_to_not_be_null failed for 3 rows (100.0%)"
    )
    assert "renamed vendor field" in result.description
    assert result.metadata["unexpected_count"].value == 3


def test_a_dropped_column_fails_the_raw_suite(warehouse: WarehouseResource) -> None:
    with warehouse.connect() as connection:
        connection.execute("alter table raw_web.events drop column type")
    result = run_suite_check("raw_web__events", warehouse)
    assert not result.passed
    details = result.metadata["failure_details"].value
    assert {"expectation": "expect_column_to_exist", "target": "type"} in [
        {"expectation": item["expectation"], "target": item["target"]} for item in details
    ]


def test_a_repeated_key_within_a_load_and_a_far_future_time_fail(
    warehouse: WarehouseResource,
) -> None:
    add_web_load(
        warehouse,
        "select 'same', 'page', 'a', timestamptz '2031-01-01 00:00:00+00', ? from range(2) as t(i)",
    )
    result = run_suite_check("raw_web__events", warehouse)
    messages = result.metadata["failures"].value
    assert "message_id: expect_column_values_to_be_unique failed for 2 rows" in messages
    assert "timestamp: expect_column_values_to_be_between failed for 2 rows" in messages
    assert "same" in str(result.metadata["failure_details"].value)  # the sample of bad values


def write_source_loads(warehouse: WarehouseResource, newest: tuple[int, float]) -> None:
    """Nine ordinary web loads (100..102 records, 2% duplicates) and the newest one."""
    delivered, duplicate_share = newest
    with warehouse.connect() as connection:
        connection.execute(
            """
            create schema if not exists marts;
            create or replace table marts.source_loads as
            select 'web' as source, cast(1000 + i as varchar) as load_id,
                100 + i % 3 as delivered, 0.0 as quarantine_share, 0.02 as duplicate_share,
                10 - i as load_rank
            from range(9) as t(i)
            union all
            select 'web', '1009', ?, 0.0, ?, 1
            """,
            [delivered, duplicate_share],
        )


def test_a_day_at_a_tenth_of_its_volume_warns(warehouse: WarehouseResource) -> None:
    write_source_loads(warehouse, (10, 0.0))
    _, volume = build_source_checks(["web"])
    result = volume(warehouse=warehouse, quality=quality())
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    # earlier loads 100,101,102,...: median 101, MAD 1; band max(5 x 1, 0.2 x 101) = 20.2
    assert result.description == (
        "web load 1009 delivered 10 records, outside the usual 81–121 "
        "(median 101 of the last 9 loads)"
    )
    assert result.metadata["ratio_to_median"].value == pytest.approx(0.099)


def test_an_ordinary_load_passes_the_volume_check(warehouse: WarehouseResource) -> None:
    write_source_loads(warehouse, (97, 0.02))
    _, volume = build_source_checks(["web"])
    assert volume(warehouse=warehouse, quality=quality()).passed


def test_a_flood_of_duplicates_fails_the_load_suite(warehouse: WarehouseResource) -> None:
    write_source_loads(warehouse, (400, 0.75))
    result = run_suite_check("source_loads", warehouse)
    assert not result.passed
    assert result.description.startswith(
        "duplicate_share: expect_column_values_to_be_between failed for 1 rows"
    )
    assert "flood of duplicates" in result.description
    # the nine older loads at 2% are not judged, only the newest (load_rank 1)
    assert result.metadata["unexpected_count"].value == 1


def test_a_feed_silent_for_days_warns_and_says_decay_is_paused(
    warehouse: WarehouseResource,
) -> None:
    with warehouse.connect() as connection:
        connection.execute(
            """
            create schema if not exists marts;
            create table marts.source_freshness as
            select 'web' as source, timestamp '2026-06-26 23:00:00' as last_event_at,
                timestamp '2026-06-30 23:59:59.999999' as as_of, 97.0 as hours_silent,
                48.0 as max_silence_hours, true as is_stale
            union all
            select 'email', timestamp '2026-06-30 20:00:00', timestamp '2026-06-30 23:59:59',
                4.0, 72.0, false
            """
        )
    web_fresh, _ = build_source_checks(["web"])
    email_fresh, _ = build_source_checks(["email"])
    web = web_fresh(warehouse=warehouse)
    assert not web.passed and web.severity == dg.AssetCheckSeverity.WARN
    assert web.description == (
        "web is stale: silent 97 h, limit 48 h; decay of its points paused since "
        "2026-06-26 23:00:00"
    )
    assert email_fresh(warehouse=warehouse).passed


def write_lead_scores(warehouse: WarehouseResource, duplicate: bool) -> None:
    with warehouse.connect() as connection:
        connection.execute(
            """
            create schema if not exists config;
            create or replace table config.fit_rules as
            select * from (values ('size', null, 15.0), ('senior', 'title', 20.0),
                ('intern', 'title', -20.0)) as t(rule_id, exclusive_group, points);
            create or replace table config.bands as
            select * from (values ('A1', 'hot'), ('B2', 'warm'), ('D3', 'cold'))
                as t(grid_cell, band);
            create schema if not exists marts;
            create or replace table marts.lead_scores as
            select * from (values
                ('ld_a', 35.0, 70.0, false, 'A1', 'hot', 'hot', null::float),
                ('ld_b', 15.0, 30.0, false, 'B2', 'warm', 'warm', null::float),
                ('ld_c', 0.0, 0.0, true, 'D3', 'cold', 'cold', null::float)
            ) as t(lead_id, fit_score, total_score, is_disqualified, grid_cell, rules_band,
                band, override_score)
            """
        )
        if duplicate:
            connection.execute(
                "insert into marts.lead_scores select * from marts.lead_scores "
                "where lead_id = 'ld_b'"
            )


def test_healthy_scores_pass_the_blocking_suite(warehouse: WarehouseResource) -> None:
    write_lead_scores(warehouse, duplicate=False)
    assert run_suite_check("lead_scores", warehouse).passed


def test_a_duplicated_lead_fails_the_blocking_suite(warehouse: WarehouseResource) -> None:
    write_lead_scores(warehouse, duplicate=True)
    result = run_suite_check("lead_scores", warehouse)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR
    assert result.description.startswith(
        "lead_id: expect_column_values_to_be_unique failed for 2 rows"
    )
    assert result.metadata["failure_details"].value[0]["sample"] == ["ld_b", "ld_b"]


def test_every_suite_file_is_valid_and_names_its_check() -> None:
    suites = load_suites()
    assert len({suite.check_name for suite in suites}) == len(suites)
    assert {suite.name for suite in suites if suite.blocking} == {
        "lead_scores",
        "lead_profiles",
        "touchpoints",
    }
