"""The config package: one loader and error format, and the factory-built config assets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.config_tables import identity_rules, scoring_rules
from orchestration.config.identity import load_identity_config
from orchestration.config.loading import ConfigError, IdentityConfigError, RulesError
from orchestration.config.rules import load_rules
from orchestration.resources import IdentityResource, ScoringResource, WarehouseResource
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH, DEFAULT_RULES_PATH


def test_both_files_fail_in_one_format(tmp_path: Path) -> None:
    identity = tmp_path / "identity.yml"
    identity.write_text(
        "max_people_per_key: 0\nmatch_threshold: 2\nname_only_match_threshold: 0.8\n"
        "cluster_size_warning: 5\n"
    )
    rules = tmp_path / "rules.yml"
    rules.write_text("sessions: {gap_minutes: 0, long_session_minutes: 5}\n")
    with pytest.raises(IdentityConfigError) as identity_error:
        load_identity_config(identity)
    with pytest.raises(RulesError) as rules_error:
        load_rules(rules)
    assert str(identity_error.value) == (
        f"{identity}: 2 problem(s)\n"
        "max_people_per_key: Input should be greater than or equal to 1\n"
        "match_threshold: Input should be less than 1"
    )
    assert str(rules_error.value).startswith(
        f"{rules}: 5 problem(s)\nsessions.gap_minutes: Input should be greater than 0\n"
    )
    assert rules_error.value.problems[1:] == [
        "engagement: Field required",
        "decay: Field required",
        "grades: Field required",
        "bands: Field required",
    ]


@pytest.mark.parametrize(
    ("load", "error", "kind"),
    [
        (load_rules, RulesError, "rules file"),
        (load_identity_config, IdentityConfigError, "identity file"),
    ],
)
def test_unreadable_and_non_mapping_files_name_their_kind(
    tmp_path: Path, load: Callable[[Path], object], error: type[ConfigError], kind: str
) -> None:
    with pytest.raises(error, match=f"cannot read the {kind}"):
        load(tmp_path / "missing.yml")
    (tmp_path / "list.yml").write_text("- 1\n- 2\n")
    with pytest.raises(error, match=f"the {kind} must be a YAML mapping"):
        load(tmp_path / "list.yml")


def test_the_factory_built_assets_write_their_config_tables(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    result = dg.materialize(
        [scoring_rules, identity_rules],
        resources={
            "warehouse": WarehouseResource(path=str(warehouse), dlt_pipelines_dir=str(tmp_path)),
            "scoring": ScoringResource(rules_path=str(DEFAULT_RULES_PATH)),
            "identity": IdentityResource(rules_path=str(DEFAULT_IDENTITY_RULES_PATH)),
        },
    )
    assert result.success
    rules = load_rules(DEFAULT_RULES_PATH)
    metadata = {
        event.asset_key.path[-1]: event.metadata
        for event in (
            e.event_specific_data.materialization for e in result.get_asset_materialization_events()
        )
    }
    assert metadata["scoring_rules"]["rules_version"].value == rules.rules_version
    assert metadata["scoring_rules"]["engagement_rules_rows"].value == len(rules.engagement)
    assert metadata["identity_rules"]["max_people_per_key"].value == 3
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        engagement = connection.execute("select count(*) from config.engagement_rules").fetchone()
        settings = connection.execute("select * from config.identity_settings").fetchall()
    assert engagement == (len(rules.engagement),)
    assert settings == [(3, 0.95, 0.8)]


def test_a_broken_file_fails_its_asset_with_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "identity.yml"
    broken.write_text(
        "max_people_per_key: 0\nmatch_threshold: 0.9\nname_only_match_threshold: 0.8\n"
        "cluster_size_warning: 5\n"
    )
    with pytest.raises(dg.Failure) as failure:
        dg.materialize(
            [identity_rules],
            resources={
                "warehouse": WarehouseResource(
                    path=str(tmp_path / "warehouse.duckdb"), dlt_pipelines_dir=str(tmp_path)
                ),
                "identity": IdentityResource(rules_path=str(broken)),
            },
        )
    assert failure.value.description == (
        f"{broken}: 1 problem(s)\nmax_people_per_key: Input should be greater than or equal to 1"
    )
