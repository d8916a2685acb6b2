"""Settings: the contract's defaults, environment overrides, and where dlt keeps its state."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH, DEFAULT_RULES_PATH, load_settings


def test_defaults_follow_the_output_contract(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.landing_dir == tmp_path / "data" / "landing"
    assert settings.warehouse_path == tmp_path / "data" / "warehouse.duckdb"
    assert settings.export_dir == tmp_path / "data" / "exports"
    assert settings.report_dir == tmp_path / "data" / "reports"
    assert settings.rules_path == DEFAULT_RULES_PATH
    assert settings.identity_rules_path == DEFAULT_IDENTITY_RULES_PATH
    assert settings.test_email_patterns == ("*@mailinator.com", "test+*@*", "qa+*@*")
    assert settings.schedule_cron == "0 2 * * *"


def test_environment_overrides_and_dlt_state_beside_the_warehouse(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "LEADSCORE_WAREHOUSE": str(tmp_path / "w" / "scores.duckdb"),
            "LEADSCORE_TEST_EMAIL_PATTERNS": "*@example.org, demo+*@*",
            "LEADSCORE_SCHEDULE_CRON": "30 4 * * *",
            "LEADSCORE_REPORT_DIR": str(tmp_path / "pictures"),
        }
    )
    assert settings.report_dir == tmp_path / "pictures"
    assert settings.warehouse_path == tmp_path / "w" / "scores.duckdb"
    assert settings.dlt_pipelines_dir == tmp_path / "w" / "scores_dlt"
    assert settings.test_email_patterns == ("*@example.org", "demo+*@*")
    assert settings.schedule_cron == "30 4 * * *"


def test_cli_overrides_replace_only_what_is_given(tmp_path: Path) -> None:
    settings = load_settings({"LEADSCORE_LANDING_DIR": str(tmp_path / "a")})
    changed = settings.with_overrides(landing_dir=tmp_path / "b", warehouse_path=None)
    assert changed.landing_dir == tmp_path / "b"
    assert changed.warehouse_path == settings.warehouse_path
