"""The rules file: validation with located errors, and the config tables it becomes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.rules import RulesError, config_tables, load_rules
from orchestration.settings import DEFAULT_RULES_PATH


def write_rules(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def default_document() -> dict:
    return yaml.safe_load(DEFAULT_RULES_PATH.read_text())


def test_shipped_rules_hold_the_seed_point_table() -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    points = {rule.activity: rule.points for rule in rules.engagement}
    assert points == {
        "pricing_page_view": 10,
        "brochure_download": 5,
        "contact_form": 15,
        "chat_started": 8,
        "long_session": 3,
    }
    assert rules.sessions.long_session_minutes == 5
    assert rules.sessions.gap_minutes == 30


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
