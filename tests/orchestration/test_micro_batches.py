"""Micro-batches: which files are new, and the sensor's run requests (no run is executed)."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import build_definitions
from orchestration.micro_batches import landing_changes
from orchestration.settings import load_settings

RAW_WEB = dg.AssetKey(["raw_web", "events"])
RAW_EMAIL = dg.AssetKey(["raw_email", "events"])


def land(landing: Path, relative: str, text: str = "{}\n") -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_changes_are_files_after_the_cursor_per_channel(tmp_path: Path) -> None:
    first = land(tmp_path, "web/2026-07-01/a.jsonl")
    land(tmp_path, "web/2026-07-01/.b.jsonl.partial")  # a write in progress
    land(tmp_path, "elsewhere/c.json")  # not a channel folder
    changes = landing_changes(tmp_path, 0)
    assert changes.files == {"web": [first]}
    assert changes.cursor_ns == first.stat().st_ctime_ns
    assert landing_changes(tmp_path, changes.cursor_ns).channels == []
    later = land(tmp_path, "email/batch-9.json", "[]")
    assert landing_changes(tmp_path, changes.cursor_ns).files == {"email": [later]}


@pytest.fixture(scope="module")
def definitions(tmp_path_factory: pytest.TempPathFactory) -> tuple[dg.Definitions, Path]:
    root = tmp_path_factory.mktemp("sensor")
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(root / "landing"),
            "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
        }
    )
    return build_definitions(settings), root / "landing"


def test_the_sensor_asks_for_one_run_of_the_new_channels_only(
    definitions: tuple[dg.Definitions, Path],
) -> None:
    defs, landing = definitions
    sensor = defs.get_sensor_def("landing_files_sensor")
    context = dg.build_sensor_context(cursor=None, repository_def=defs.get_repository_def())
    assert isinstance(sensor(context), dg.SensorResult)
    assert sensor(context).skip_reason is not None  # nothing landed yet

    land(landing, "web/2026-07-01/collector-1.jsonl")
    land(landing, "web/2026-07-01/collector-2.jsonl")
    result = sensor(context)
    (run,) = result.run_requests
    selected = set(run.asset_selection)
    assert run.tags["leadscore/channels"] == "web"
    assert run.tags["leadscore/files"] == "2"
    assert {
        RAW_WEB,
        dg.AssetKey(["marts", "lead_scores"]),
        dg.AssetKey(["exports", "bi_parquet"]),
    } <= selected
    assert RAW_EMAIL not in selected  # only channels with new files load
    assert dg.AssetKey(["identity", "fuzzy_matches"]) not in selected  # Splink: nightly only
    # the staging view of the new events, though Splink reads it: its as_of cut-off moves on
    assert dg.AssetKey(["staging", "stg_web__events"]) in selected
    assert dg.AssetKey(["marts", "lead_score_history"]) not in selected  # daily: nightly only
    assert dg.AssetKey(["actions", "score_webhooks"]) in selected
    assert run.asset_check_keys == []  # no checks in a micro-batch: the nightly run checks

    next_context = dg.build_sensor_context(
        cursor=result.cursor, repository_def=defs.get_repository_def()
    )
    assert sensor(next_context).skip_reason is not None
    assert json.loads(result.cursor)["ctime_ns"] > 0


def test_micro_batch_runs_only_models_and_the_nightly_runs_tests() -> None:
    from orchestration.assets.transformation import dbt_command

    assert dbt_command({"leadscore/kind": "micro_batch"}) == "run"
    assert dbt_command({}) == "build"
