"""The rules file: validation with located errors, and the config tables it becomes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from orchestration.config.loading import RulesError
from orchestration.config.rules import (
    After,
    Cap,
    Decay,
    config_tables,
    load_rules,
    rules_json_schema,
)
from orchestration.settings import DEFAULT_RULES_PATH

REPO = DEFAULT_RULES_PATH.parents[1]
E2E_RULES_PATH = REPO / "tests" / "e2e" / "seed_rules.yml"
DBT_FIXTURE_RULES_PATH = REPO / "tests" / "dbt" / "fixture_rules.yml"


def write_rules(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def default_document() -> dict:
    return yaml.safe_load(DEFAULT_RULES_PATH.read_text())


def test_shipped_rules_hold_the_contract_point_table() -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    points = {rule.id: rule.points for rule in rules.engagement}
    assert points == {
        "pricing_page_view": 10, "brochure_download": 5, "whitepaper_download": 5,
        "contact_form": 15, "quote_request": 15, "demo_request": 20, "chat_started": 8,
        "chat_after_pricing": 5, "chat_message_pricing_or_features": 5, "long_session": 3,
        "product_page_view": 3, "case_study_view": 4, "newsletter_signup": 4,
        "webinar_registered": 6, "webinar_attended": 10, "careers_page_view": -5,
        "email_open": 1, "email_pricing_click": 5, "email_click": 3, "email_unsubscribe": -10,
        "email_spam_report": -25, "social_reaction": 2, "social_comment": 3,
        "social_lead_form": 15, "presales_ticket": 8, "support_ticket": 2, "booth_scan": 10,
        "booth_rated_hot": 10, "booth_rated_warm": 5, "direct_mail_visit": 6, "sales_call": 5,
        "sales_meeting": 15, "sales_demo": 20,
    }  # fmt: skip
    by_id = {rule.id: rule for rule in rules.engagement}
    assert by_id["email_open"].cap == Cap(max_points=10, window_days=30)
    assert rules.group_caps == {"social_engagement": Cap(max_points=15)}
    assert by_id["chat_after_pricing"].after == After(
        activity="pricing_page_view", within_minutes=30
    )
    assert by_id["sales_call"].duration_over_seconds == 120
    assert rules.decay.default == Decay(model="half_life", half_life_days=45)
    assert rules.decay.groups == {}
    assert rules.sessions.long_session_minutes == 5
    assert rules.sessions.gap_minutes == 30


def test_json_schema_file_is_up_to_date() -> None:
    schema_file = DEFAULT_RULES_PATH.with_name("rules.schema.json")
    # regenerate with `leadscore rules schema > rules/rules.schema.json`
    assert schema_file.read_text() == rules_json_schema()
    schema = json.loads(schema_file.read_text())
    assert "rules_version" not in schema["properties"]
    assert set(schema["required"]) == {"sessions", "engagement", "decay", "grades", "bands"}


def test_every_bundled_rules_file_is_valid() -> None:
    for path in (DEFAULT_RULES_PATH, E2E_RULES_PATH, DBT_FIXTURE_RULES_PATH):
        load_rules(path)


def test_new_rule_kinds_report_located_errors(tmp_path: Path) -> None:
    document = default_document()
    document["engagement"][0]["url"] = "(unclosed"
    document["engagement"][7]["after"] = {"activity": "pricing_page_view", "within_minutes": 0}
    document["engagement"][16]["cap"] = {"max_points": -1}
    document["decay"] = {"default": {"model": "half_life"}, "groups": {"nope": {"model": "none"}}}
    document["overrides"] = [{"lead": "a@b.c", "reason": "why", "by": "sam"}]
    document["routing"]["rules"][0]["team"] = "unknown_team"
    with pytest.raises(RulesError) as raised:
        load_rules(write_rules(tmp_path, document))
    assert [problem.split(":")[0] for problem in raised.value.problems] == [
        "engagement[0].url",
        "engagement[7].after.within_minutes",
        "engagement[16].cap.max_points",
        "decay.default",
        "overrides[0]",
        "routing",
    ]


def test_decay_groups_and_caps_must_name_a_rule_group(tmp_path: Path) -> None:
    document = default_document()
    document["decay"]["groups"] = {"sales": {"model": "none"}, "nope": {"model": "none"}}
    with pytest.raises(RulesError) as raised:
        load_rules(write_rules(tmp_path, document))
    assert raised.value.problems == [
        "(top level): Value error, decay.groups names no engagement rule group: nope"
    ]


def test_rules_version_is_the_content_hash(tmp_path: Path) -> None:
    document = default_document()
    first = load_rules(write_rules(tmp_path, document)).rules_version
    document["engagement"][0]["points"] = 11
    second = load_rules(write_rules(tmp_path, document)).rules_version
    assert len(first) == 12
    assert first != second


def test_every_problem_is_reported_with_its_location(tmp_path: Path) -> None:
    document = default_document()
    document["engagement"][1]["activity"] = "brochure_downlaod"
    document["fit"][1]["between"] = [1000, 50]
    document["fit"][2]["pattern"] = "(unclosed"
    document["bands"]["hot"] = ["A1", "E7"]
    with pytest.raises(RulesError) as raised:
        load_rules(write_rules(tmp_path, document))
    problems = raised.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("engagement[1].activity: Value error, unknown activity")
    assert problems[1].startswith("fit[1]: Value error, between: the lower bound")
    assert problems[2].startswith("fit[2]: Value error, pattern is not a valid regular")
    assert problems[3].startswith("bands.hot: Value error, 'E7' is not a grid cell")


def test_unknown_keys_and_duplicate_ids_are_errors(tmp_path: Path) -> None:
    document = default_document()
    document["engagement"][0]["pointz"] = 3
    document["engagement"].append(dict(document["engagement"][1]))
    with pytest.raises(RulesError) as raised:
        load_rules(write_rules(tmp_path, document))
    assert raised.value.problems == ["engagement[0].pointz: Extra inputs are not permitted"]
    del document["engagement"][0]["pointz"]
    with pytest.raises(RulesError) as raised:
        load_rules(write_rules(tmp_path, document))
    assert raised.value.problems == [
        "(top level): Value error, rule ids must be unique; repeated: brochure_download"
    ]


def test_unreadable_and_non_mapping_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_rules(tmp_path / "missing.yml")
    (tmp_path / "list.yml").write_text("- 1\n- 2\n")
    with pytest.raises(RulesError, match="must be a YAML mapping"):
        load_rules(tmp_path / "list.yml")


def test_config_tables_hold_bands_for_every_grid_cell() -> None:
    tables = config_tables(load_rules(DEFAULT_RULES_PATH))
    bands = {row["grid_cell"]: row["band"] for row in tables["bands"]}
    assert len(bands) == 12
    assert sorted(cell for cell, band in bands.items() if band == "hot") == ["A1", "A2", "B1"]
    assert sorted(cell for cell, band in bands.items() if band == "warm") == ["A3", "B2", "C1"]
    grades = {(r["scale"], r["label"]): r["min_score"] for r in tables["grade_thresholds"]}
    assert grades[("fit_grade", "A")] == 40
    assert grades[("fit_grade", "D")] is None
    assert grades[("engagement_tier", "2")] == 20
    competitor = next(r for r in tables["fit_rules"] if r["rule_id"] == "competitor_domain")
    assert competitor["is_disqualifier"] is True
    assert competitor["list_values"] == ["scorely.io", "leadpilot.com"]
