"""The activity vocabulary: one seed that the rules validator reads and the docs quote."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.config.activities import (
    QUOTED_IN,
    activities_markdown,
    known_activities,
    load_activities,
    quoted_table,
)
from orchestration.config.loading import RulesError
from orchestration.config.rules import load_rules
from orchestration.settings import DEFAULT_RULES_PATH


def rules_with(tmp_path: Path, **changes: object) -> Path:
    """The shipped rules with the `pricing_page_view` rule changed."""
    document = yaml.safe_load(DEFAULT_RULES_PATH.read_text())
    rule = next(r for r in document["engagement"] if r["id"] == "pricing_page_view")
    rule.update(changes)
    path = tmp_path / "rules.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_the_seed_holds_each_activity_once_per_source() -> None:
    rows = load_activities()
    pairs = [(row.activity, row.source) for row in rows]
    assert len(pairs) == len(set(pairs))
    assert [row.source for row in rows if row.activity == "other"] == ["web", "email"]
    assert all(row.description for row in rows)
    # the session rule is no touchpoint, but rules name it
    assert "long_session" in known_activities()


@pytest.mark.parametrize("activity", ["email_resubscribe", "email_machine_open"])
def test_a_rule_on_an_activity_nothing_emits_is_an_error(tmp_path: Path, activity: str) -> None:
    with pytest.raises(RulesError) as raised:
        load_rules(rules_with(tmp_path, activity=activity))
    [problem] = raised.value.problems
    location, message = problem.split(": ", 1)
    assert location.startswith("engagement[") and location.endswith("].activity")
    assert message.startswith(
        f"Value error, unknown activity {activity!r} in rule 'pricing_page_view': "
        "no touchpoint can have it; known activities (activities.csv): "
    )
    known = message.rsplit("): ", 1)[1].split(", ")
    assert known == sorted(known_activities())
    assert "pricing_page_view" in known


def test_a_context_rule_after_an_unknown_activity_is_an_error(tmp_path: Path) -> None:
    after = {"activity": "email_resubscribe", "within_minutes": 30}
    with pytest.raises(RulesError) as raised:
        load_rules(rules_with(tmp_path, after=after))
    [problem] = raised.value.problems
    assert problem.split(": ", 1)[0].endswith("].after")
    assert "unknown activity 'email_resubscribe' in rule 'pricing_page_view'" in problem


@pytest.mark.parametrize("path", QUOTED_IN, ids=lambda path: path.name)
def test_the_docs_quote_the_seed(path: Path) -> None:
    # regenerate with `.venv/bin/python tools/activities_table.py`
    assert quoted_table(path.read_text(encoding="utf-8")) == activities_markdown()
