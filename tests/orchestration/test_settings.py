"""Settings: the contract's defaults, environment overrides, and where dlt keeps its state."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.settings import (
    DEFAULT_IDENTITY_RULES_PATH,
    DEFAULT_RULES_PATH,
    SettingsError,
    load_settings,
)


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


@pytest.mark.parametrize(
    ("name", "value", "bad_part", "expected"),
    [
        ("LEADSCORE_SALESFORCE_FIELDS", "total_score", "'total_score'", "column=Field__c pairs"),
        ("LEADSCORE_SALESFORCE_FIELDS", "band=Lead_Band__c, score=X__c", "'score=X__c'", "column"),
        ("LEADSCORE_SALESFORCE_FIELDS", "band=Lead Band", "'band=Lead Band'", "API name"),
        ("LEADSCORE_SALESFORCE_FIELDS", "band=A__c,band=B__c", "'band=B__c'", "each column once"),
        ("LEADSCORE_MODEL_CUTOFFS", "six", "'six'", "a whole number like 6"),
        ("LEADSCORE_QUARANTINE_RAW_DAYS", "-3", "'-3'", "a whole number like 30"),
        ("LEADSCORE_ALERT_WEBHOOK_BACKOFF", "1s", "'1s'", "a number of at least 0 like 1"),
        ("LEADSCORE_MICRO_BATCH_POLL_SECONDS", "nan", "'nan'", "at least 0"),
        ("LEADSCORE_PSEUDONYMIZE_EXPORTS", "on", "'on'", "one of 1, true, yes"),
        ("LEADSCORE_SCORE_WEBHOOK_URLS", "https://a.example/h, b/x", "URL number 2", "https://"),
        ("LEADSCORE_ALERT_WEBHOOK_URL", "hooks.example/T0K3N", "not an http(s) URL", "https://"),
        ("LEADSCORE_ENGINE", "snowflake", "'snowflake'", "one of duckdb, spark"),
    ],
)
def test_a_malformed_setting_is_a_clear_error_naming_it(
    name: str, value: str, bad_part: str, expected: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({name: value})
    message = str(raised.value)
    assert message.startswith(f"{name}: ")
    assert bad_part in message
    assert expected in message
    if "WEBHOOK_URL" in name:
        assert "T0K3N" not in message and "b/x" not in message  # a URL may carry its token


def test_well_formed_structured_settings_are_parsed() -> None:
    settings = load_settings(
        {
            "LEADSCORE_SALESFORCE_FIELDS": " total_score=Lead_Score__c , band=Lead_Band__c,",
            "LEADSCORE_SCORE_WEBHOOK_URLS": "https://a.example/h,http://127.0.0.1:9/x",
            "LEADSCORE_MICRO_BATCH_POLL_SECONDS": "0.5",
            "LEADSCORE_MODEL_CUTOFFS": "",
            "LEADSCORE_PSEUDONYMIZE_EXPORTS": "Yes",
        }
    )
    assert settings.salesforce_writeback_fields == (
        ("total_score", "Lead_Score__c"),
        ("band", "Lead_Band__c"),
    )
    assert settings.score_webhook_urls == ("https://a.example/h", "http://127.0.0.1:9/x")
    assert settings.micro_batch_poll_seconds == 0.5
    assert settings.engine == "duckdb"  # unset: the embedded warehouse
    assert settings.model.cutoffs == 6
    assert settings.pseudonymize_exports is True


def test_the_spark_engine_and_its_lake_folder(tmp_path: Path) -> None:
    settings = load_settings({"LEADSCORE_ENGINE": " Spark ", "LEADSCORE_LAKE_DIR": str(tmp_path)})
    assert (settings.engine, settings.lake_dir) == ("spark", tmp_path)


def test_the_cli_reports_a_malformed_setting_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("LEADSCORE_SALESFORCE_FIELDS", "total_score:Lead_Score__c")
    assert main(["explain", "kim@acme.io", "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("leadscore: LEADSCORE_SALESFORCE_FIELDS: 'total_score:Lead_Score__c'")
    assert "Traceback" not in error
