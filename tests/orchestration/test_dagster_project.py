"""`dagster dev` in the repository root opens the project: pyproject.toml names the Definitions.

`[tool.dagster]` is what `dagster dev` / `dagster definitions validate` read with no `-m`/`-f`;
`[tool.dg]` is what the `dg` CLI reads (and `dagster dev` too when `[tool.dagster]` is absent).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from dagster._core.workspace.load_target import ModuleTarget, get_target_from_toml_data

from orchestration.settings import REPO_ROOT

DEFINITIONS_MODULE = "orchestration.definitions"
LOCATION = "leadscore"
VALIDATE_TIMEOUT_S = 300  # ~15 s of CPU; the wall time on a loaded two-core machine is longer


def pyproject() -> dict[str, object]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_both_blocks_name_the_one_definitions_module() -> None:
    document = pyproject()
    tool = document["tool"]
    assert isinstance(tool, dict)
    only_dg = {"tool": {"dg": tool["dg"]}}  # what a `dg`-scaffolded project would have
    for data in (document, only_dg):
        target = get_target_from_toml_data(data)  # what `dagster dev` resolves with no target
        assert isinstance(target, ModuleTarget)
        assert target.module_name == DEFINITIONS_MODULE
        assert target.location_name == LOCATION
    assert tool["dg"]["directory_type"] == "project"


def test_definitions_validate_with_no_target_loads_our_code_location(tmp_path: Path) -> None:
    dagster = Path(sys.executable).parent / "dagster"
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),  # never the user's instance
        "LEADSCORE_LANDING_DIR": str(tmp_path / "landing"),
        "LEADSCORE_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "LEADSCORE_EXPORT_DIR": str(tmp_path / "exports"),
        "LEADSCORE_REPORT_DIR": str(tmp_path / "reports"),
    }
    (tmp_path / "dagster_home").mkdir()
    (tmp_path / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    result = subprocess.run(  # noqa: S603 - fixed executable and arguments
        [str(dagster), "definitions", "validate"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=VALIDATE_TIMEOUT_S,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"Validation successful for code location {LOCATION}." in output
    assert "All code locations passed validation." in output
