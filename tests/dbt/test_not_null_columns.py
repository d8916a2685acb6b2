"""The `not_null_columns` generic test on a scratch dbt project: one hand-made model with
known nulls, the shipped test file, and dbt's own `not_null` on the same columns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from orchestration.warm_dbt import plain_dbt_executable

GENERIC_TEST = (
    Path(__file__).resolve().parents[2]
    / "dbt_project"
    / "tests"
    / "generic"
    / "not_null_columns.sql"
)
DBT_EXECUTABLE = plain_dbt_executable()

PROJECT_YML = """\
name: scratch
version: "0.1.0"
config-version: 2
profile: scratch
model-paths: ["models"]
test-paths: ["tests"]
"""

# `holes`: id never null; label null on rows 2 and 3; amount null on row 2.
HOLES_SQL = """\
select * from (values (1, 'x', 10), (2, null, null), (3, null, 30)) as t(id, label, amount)
"""

MODELS_YML = """\
version: 2
models:
  - name: holes
    data_tests:
      - not_null_columns:
          name: all_three
          arguments:
            columns: [id, label, amount]
          config:
            store_failures: true
      - not_null_columns:
          name: key_only
          arguments:
            columns: [id]
      - not_null_columns:
          name: label_only
          arguments:
            columns: [label]
      - not_null_columns:
          name: first_row_only
          arguments:
            columns: [label, amount]
          config:
            where: "id = 1"
      - not_null_columns:
          name: amount_warns
          arguments:
            columns: [amount]
          config:
            severity: warn
      - not_null_columns:
          name: three_nulls_tolerated
          arguments:
            columns: [label, amount]
          config:
            error_if: ">3"
    columns:
      - name: label
        data_tests:
          - not_null:
              name: dbt_not_null_label
  - name: empty
    data_tests:
      - not_null_columns:
          name: empty_passes
          arguments:
            columns: [id, label, amount]
"""


@dataclass(frozen=True)
class Outcome:
    status: str
    failures: int | None


@dataclass(frozen=True)
class ScratchBuild:
    returncode: int
    output: str
    results: dict[str, Outcome]
    warehouse: Path


@pytest.fixture(scope="module")
def scratch_build(tmp_path_factory: pytest.TempPathFactory) -> ScratchBuild:
    project = tmp_path_factory.mktemp("not_null_columns")
    warehouse = project / "scratch.duckdb"
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    (project / "profiles.yml").write_text(
        f"scratch:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: '{warehouse}'\n      threads: 1\n"
    )
    (project / "models").mkdir()
    (project / "models" / "holes.sql").write_text(HOLES_SQL)
    # not built on `holes`: `dbt build` skips what is downstream of a failed test
    (project / "models" / "empty.sql").write_text(HOLES_SQL.replace("\n", " where false\n"))
    (project / "models" / "_models.yml").write_text(MODELS_YML)
    (project / "tests" / "generic").mkdir(parents=True)
    shutil.copy(GENERIC_TEST, project / "tests" / "generic" / GENERIC_TEST.name)
    completed = subprocess.run(  # noqa: S603 - fixed executable and arguments
        [
            str(DBT_EXECUTABLE),
            "build",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
        ],
        cwd=project,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    run_results = json.loads((project / "target" / "run_results.json").read_text())
    results = {
        result["unique_id"].split(".")[2]: Outcome(result["status"], result["failures"])
        for result in run_results["results"]
        if result["unique_id"].startswith("test.")
    }
    return ScratchBuild(
        completed.returncode, completed.stdout + completed.stderr, results, warehouse
    )


def test_a_column_with_nulls_fails_naming_the_column_and_its_count(
    scratch_build: ScratchBuild,
) -> None:
    assert scratch_build.results["all_three"] == Outcome("fail", 3), scratch_build.output
    assert scratch_build.returncode == 1  # the one failing test fails the build
    con = duckdb.connect(str(scratch_build.warehouse), read_only=True)
    try:
        stored = con.execute(
            "select column_name, null_rows from main_dbt_test__audit.all_three order by all"
        ).fetchall()
    finally:
        con.close()
    assert stored == [("amount", 1), ("label", 2)]


def test_columns_without_nulls_pass(scratch_build: ScratchBuild) -> None:
    assert scratch_build.results["key_only"] == Outcome("pass", 0)
    assert scratch_build.results["empty_passes"] == Outcome("pass", 0)


def test_one_column_counts_what_dbt_not_null_counts(scratch_build: ScratchBuild) -> None:
    assert scratch_build.results["dbt_not_null_label"] == Outcome("fail", 2)
    assert scratch_build.results["label_only"] == Outcome("fail", 2)


def test_where_severity_and_error_if_apply(scratch_build: ScratchBuild) -> None:
    # `where id = 1` keeps the only row without nulls
    assert scratch_build.results["first_row_only"] == Outcome("pass", 0)
    assert scratch_build.results["amount_warns"] == Outcome("warn", 1)
    # 3 null values (label 2, amount 1): not more than 3, so a warning, not an error
    assert scratch_build.results["three_nulls_tolerated"] == Outcome("warn", 3)


MODELS_DIR = GENERIC_TEST.parents[2] / "models"


def model_properties() -> list[dict[str, Any]]:
    return [
        model
        for path in sorted(MODELS_DIR.rglob("_*__models.yml"))
        for model in yaml.safe_load(path.read_text()).get("models", [])
    ]


def test_the_project_checks_nulls_once_per_model() -> None:
    """A bare column-level `not_null` is one more scan (and asset check): it belongs in the
    model's `not_null_columns`, which names documented columns of the model."""
    models = model_properties()
    bare = [
        (model["name"], column["name"])
        for model in models
        for column in model.get("columns", [])
        if "not_null" in column.get("data_tests", [])
    ]
    assert bare == []
    listed = {
        model["name"]: (test["not_null_columns"], {c["name"] for c in model.get("columns", [])})
        for model in models
        for test in model.get("data_tests", [])
        if isinstance(test, dict) and "not_null_columns" in test
    }
    assert listed  # the project uses it
    for name, (test, documented) in listed.items():
        assert test["name"] == f"not_null_columns_{name}"
        assert set(test["arguments"]["columns"]) <= documented, name
