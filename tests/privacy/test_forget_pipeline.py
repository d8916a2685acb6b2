"""`leadscore forget` on a real warehouse, then a rerun over files that still hold the person.

One generated landing zone (60 people) runs through the pipeline twice in this module: once
before the erasure, once after it with the person's landing files delivered again.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingestion.generator import generate_landing_zone
from ingestion.parsing.readers import gunzip_tolerant
from orchestration.privacy.forget import ErasureReport, forget
from orchestration.runner import run_nightly
from orchestration.settings import DBT_PROJECT_DIR, Settings, load_settings

END_DATE = date(2026, 6, 30)
AS_OF = "2026-07-03"
HEURISTIC_MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")
SCORE_COLUMNS = "lead_id, fit_score, engagement_score, total_score, band, grid_cell"


@dataclass(frozen=True)
class Snapshot:
    scores: dict[str, tuple[Any, ...]]  # lead_id -> score columns
    channel_attribution: dict[tuple[str, str], tuple[float, float]]  # (channel, model)
    segments: dict[tuple[str, str], tuple[int, int, int, float]]  # (type, segment)


@dataclass(frozen=True)
class Erasure:
    settings: Settings
    landing: Path
    identifiers: list[str]  # the person's keys, from the generator's ground truth
    control: str  # another person's email, which must stay findable
    lead_id: str
    before: Snapshot
    person_credits: dict[tuple[str, str], tuple[float, float]]  # (channel, model)
    person_segments: list[tuple[str, str]]
    person_outcome: tuple[int, int, float]  # converted, won, revenue
    report: ErasureReport
    after_rerun: Snapshot
    rerun_audit: tuple[int, int, int]  # delivered, suppressed, unbalanced rows
    rerun_succeeded: bool
    rerun_logs: str  # the rerun's Dagster events (messages, metadata, previews) and dbt log


def _truth(landing: Path, name: str) -> list[dict[str, str]]:
    with (landing.with_name(landing.name + "_truth") / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _pick_person(landing: Path) -> tuple[str, list[str], str]:
    """A converted person with the most channels and key types (email, keys, control email)."""
    keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _truth(landing, "identifiers.csv"):
        keys[row["person_id"]].append((row["key_type"], row["key_value"]))
    channels: dict[str, set[str]] = defaultdict(set)
    for row in _truth(landing, "touchpoints.csv"):
        channels[row["person_id"]].add(row["source"])
    people = {row["person_id"]: row for row in _truth(landing, "people.csv")}
    candidates = [
        p for p, row in people.items() if row["is_converted"] == "true" and row["is_test"] != "true"
    ]
    chosen = max(candidates, key=lambda p: (len(channels[p]), len({k for k, _ in keys[p]}), p))
    control = next(row["email"] for p, row in people.items() if p != chosen and row["email"])
    return people[chosen]["email"], [value for _, value in keys[chosen]], control


def _rows(settings: Settings, sql: str, parameters: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()


def _snapshot(settings: Settings) -> Snapshot:
    scores = {
        row[0]: row[1:] for row in _rows(settings, f"select {SCORE_COLUMNS} from marts.lead_scores")
    }
    attribution = {
        (channel, model): (float(conversions), float(revenue or 0))
        for channel, model, conversions, revenue in _rows(
            settings, "select channel, model, conversions, revenue from marts.channel_attribution"
        )
    }
    segments = {
        (kind, segment): (int(leads), int(converted), int(won), float(revenue or 0))
        for kind, segment, leads, converted, won, revenue in _rows(
            settings,
            "select segment_type, segment, leads, converted, won, revenue "
            "from marts.score_band_performance where segment_type in ('all', 'band', 'grid_cell')",
        )
    }
    return Snapshot(scores, attribution, segments)


def _holds(path: Path, values: list[str]) -> list[str]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data, _ = gunzip_tolerant(data)  # the generator cuts some files short on purpose
    data = data.lower()
    return [value for value in values if value.lower().encode() in data]


def _redeliver(landing: Path, values: list[str]) -> int:
    """Copy every landing file holding the person under a new name: delivered again."""
    copies = 0
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        if _holds(path, values):
            shutil.copy(path, path.with_name(f"zz-again-{path.name}"))
            copies += 1
    return copies


@pytest.fixture(scope="module")
def erasure(tmp_path_factory: pytest.TempPathFactory) -> Erasure:
    root = tmp_path_factory.mktemp("privacy")
    landing = root / "landing"
    generate_landing_zone(landing, leads=60, days=30, seed=3, end_date=END_DATE)
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(root / "exports"),
            "LEADSCORE_REPORT_DIR": str(root / "reports"),
        }
    )
    assert run_nightly(settings, AS_OF).success
    email, identifiers, control = _pick_person(landing)
    (lead_id,) = _rows(
        settings, "select lead_id from marts.lead_profiles where email = ?", [email]
    )[0]
    before = _snapshot(settings)
    person_credits = {
        (channel, model): (float(credit), float(revenue))
        for channel, model, credit, revenue in _rows(
            settings,
            "select c.channel, c.model, sum(c.credit), sum(c.credit * coalesce(v.revenue, 0)) "
            "from marts.attribution_credits as c "
            "left join intermediate.int_attribution__conversions as v "
            "on c.conversion_id = v.conversion_id where c.lead_id = ? group by all",
            [lead_id],
        )
    }
    band, grid_cell = _rows(
        settings, "select band, grid_cell from marts.lead_scores where lead_id = ?", [lead_id]
    )[0]
    outcome = _rows(
        settings,
        "select p.is_converted::int, p.is_won::int, coalesce(v.revenue, 0) "
        "from marts.lead_profiles as p "
        "left join intermediate.int_attribution__conversions as v on p.lead_id = v.lead_id "
        "where p.lead_id = ?",
        [lead_id],
    )[0]
    report = forget(settings, email.upper(), reason=f"request from {email}")
    assert _redeliver(landing, identifiers) > 0
    rerun = run_nightly(settings, AS_OF)
    dbt_log = DBT_PROJECT_DIR / "target" / f"run-{rerun.run_id}" / "dbt.log"
    rerun_logs = "\n".join(str(event) for event in rerun.all_events) + dbt_log.read_text()
    audit = _rows(
        settings,
        "select sum(delivered), sum(suppressed), "
        "count(*) filter (where delivered != loaded + deduplicated + quarantined + filtered "
        "+ suppressed) from marts.ingestion_audit",
    )[0]
    return Erasure(
        settings=settings,
        landing=landing,
        identifiers=identifiers,
        control=control,
        lead_id=lead_id,
        before=before,
        person_credits=person_credits,
        person_segments=[("all", "all"), ("band", band), ("grid_cell", grid_cell)],
        person_outcome=(int(outcome[0]), int(outcome[1]), float(outcome[2])),
        report=report,
        after_rerun=_snapshot(settings),
        rerun_audit=tuple(int(value or 0) for value in audit),
        rerun_succeeded=rerun.success,
        rerun_logs=rerun_logs,
    )


def _stored_files(settings: Settings) -> list[Path]:
    folders = [settings.export_dir, settings.report_dir, settings.dlt_pipelines_dir]
    files = [path for folder in folders for path in folder.rglob("*") if path.is_file()]
    wal = settings.warehouse_path.with_name(settings.warehouse_path.name + ".wal")
    return [settings.warehouse_path, *([wal] if wal.exists() else []), *files]


def test_forget_removed_the_person_from_every_table_it_names(erasure: Erasure) -> None:
    removed = erasure.report.rows_removed
    for table in (
        "marts.lead_profiles",
        "marts.lead_scores",
        "marts.touchpoints",
        "marts.score_ledger",
    ):
        assert removed.get(table, 0) > 0, table
    assert {"raw_web.events", "raw_crm.leads", "marts.attribution_credits"} <= set(removed)


def test_no_table_row_holds_an_identifier_after_the_forget_and_the_rerun(erasure: Erasure) -> None:
    settings = erasure.settings
    pattern = "|".join(
        value.lower().replace(".", "\\.") for value in [*erasure.identifiers, erasure.lead_id]
    )
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('privacy')"
        ).fetchall()
        for schema, table in tables:
            hits = connection.execute(
                f'select count(*) from "{schema}"."{table}" as t '  # noqa: S608
                "where regexp_matches(lower(cast(t as varchar)), ?)",
                [pattern],
            ).fetchall()[0][0]
            assert hits == 0, f"{schema}.{table}"


def test_no_byte_of_the_person_in_warehouse_wal_exports_or_dlt_state(erasure: Erasure) -> None:
    files = _stored_files(erasure.settings)
    assert any(p.suffix == ".parquet" for p in files) and any("_dlt" in str(p) for p in files)
    for path in files:
        assert _holds(path, [*erasure.identifiers, erasure.lead_id]) == [], path
    # the search can find a value: another person's address is still in the warehouse file
    assert _holds(erasure.settings.warehouse_path, [erasure.control]) == [erasure.control]


def test_the_reruns_logs_name_no_identifier_of_the_person(erasure: Erasure) -> None:
    logs = erasure.rerun_logs.lower()
    assert "asset_materialization" in logs and "lead_scores" in logs  # the logs are there
    assert [value for value in erasure.identifiers if value.lower() in logs] == []


def test_the_warehouse_keeps_its_storage_format(erasure: Erasure) -> None:
    tags = _rows(erasure.settings, "select tags from duckdb_databases() where not internal")
    assert {"storage_version": "v1.4.0+"} in [row[0] for row in tags]


def test_the_erasure_log_accounts_for_every_removed_row_and_holds_no_personal_data(
    erasure: Erasure,
) -> None:
    ((request_id, reason, hashes, rows_removed, total),) = _rows(
        erasure.settings,
        "select request_id, reason, identifier_hashes, rows_removed::varchar, total_rows_removed "
        "from marts.erasure_log",
    )
    assert request_id == erasure.report.request_id
    assert total == erasure.report.total_rows == sum(erasure.report.rows_removed.values())
    assert reason == "request from [erased]"
    assert len(hashes) == len(_rows(erasure.settings, "select * from privacy.suppression_list"))
    text = f"{reason} {hashes} {rows_removed}".lower()
    assert not [value for value in erasure.identifiers if value.lower() in text]


def test_the_rerun_suppresses_the_redelivered_person_and_the_audit_balances(
    erasure: Erasure,
) -> None:
    delivered, suppressed, unbalanced = erasure.rerun_audit
    assert erasure.rerun_succeeded
    assert unbalanced == 0
    # every erased raw row and every re-delivered record of theirs is counted as suppressed
    raw_rows = sum(
        count for table, count in erasure.report.rows_removed.items()
        if table.startswith("raw_") and "_staging." not in table and "__" not in table
    )  # fmt: skip
    assert suppressed > erasure.report.manifest_rows_suppressed > 0
    assert erasure.report.manifest_rows_suppressed <= raw_rows


def test_other_leads_scores_are_unchanged(erasure: Erasure) -> None:
    before = {k: v for k, v in erasure.before.scores.items() if k != erasure.lead_id}
    assert erasure.lead_id not in erasure.after_rerun.scores
    assert erasure.after_rerun.scores == before


def test_band_performance_drops_by_exactly_the_persons_share(erasure: Erasure) -> None:
    converted, won, revenue = erasure.person_outcome
    for key, (leads, conv, wins, rev) in erasure.before.segments.items():
        if key in erasure.person_segments:
            expected = (leads - 1, conv - converted, wins - won, rev - revenue)
        else:
            expected = (leads, conv, wins, rev)
        got = erasure.after_rerun.segments.get(key, (0, 0, 0, 0.0))
        assert got[:3] == expected[:3], key
        assert got[3] == pytest.approx(expected[3], abs=1e-6), key


def test_heuristic_attribution_drops_by_exactly_the_persons_credits(erasure: Erasure) -> None:
    assert erasure.person_credits, "the chosen person should have a journey"
    for (channel, model), (conversions, revenue) in erasure.before.channel_attribution.items():
        if model not in HEURISTIC_MODELS:
            continue
        credit, credit_revenue = erasure.person_credits.get((channel, model), (0.0, 0.0))
        got = erasure.after_rerun.channel_attribution.get((channel, model), (0.0, 0.0))
        assert got[0] == pytest.approx(conversions - credit, abs=1e-9), (channel, model)
        assert got[1] == pytest.approx(revenue - credit_revenue, abs=1e-6), (channel, model)
