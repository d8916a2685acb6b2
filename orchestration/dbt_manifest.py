"""Preparing the dbt manifest that the dbt assets are built from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"


class DbtParseError(RuntimeError):
    """`dbt parse` failed: the dbt project itself is broken."""


def prepare_dbt_manifest() -> Path:
    """Run `dbt parse` so the manifest matches the project (a stale one breaks runs)."""
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(  # noqa: S603 - fixed executable and arguments
        [str(dbt), "parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
         str(DBT_PROJECT_DIR), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise DbtParseError(f"dbt parse failed:\n{result.stdout}{result.stderr}")
    return MANIFEST_PATH
