"""Preparing the dbt manifest that the dbt assets are built from."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warm_dbt import plain_dbt_executable

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"
# What a parse leaves that later dbt invocations read: the manifest (Dagster's asset graph)
# and the partial parse (dagster-dbt copies it into each invocation's target folder).
PARSE_ARTIFACTS = ("partial_parse.msgpack", "manifest.json")


class DbtParseError(RuntimeError):
    """`dbt parse` failed: the dbt project itself is broken."""


def prepare_dbt_manifest(vars_json: str = "", target: str = "dev") -> Path:
    """Run `dbt parse` so the manifest matches the project (a stale one breaks runs).

    dbt parses into a folder of its own and the artifacts are renamed into place, so a process
    reading the manifest (or a second parse, as parallel test workers start) never sees half
    a file. With the run's `--vars` (`dbt_vars`), the partial parse left beside the manifest
    is one the run's first dbt invocation can reuse (dagster-dbt copies it into the run's
    target folder); with other vars dbt parses the whole project again (7 s idle, ~20 s on
    a loaded 2-core machine). `target` is the run's (`Settings.dbt_target`): the dispatch
    macros and the materializations compile per adapter, and a partial parse of another
    target is not reused.
    """
    dbt = plain_dbt_executable()
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=TARGET_DIR, prefix="parse-") as parse_dir:
        result = subprocess.run(  # noqa: S603 - fixed executable and arguments
            [str(dbt), "parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
             str(DBT_PROJECT_DIR), "--target-path", parse_dir, "--quiet", "--target", target,
             *(["--vars", vars_json] if vars_json else [])],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise DbtParseError(f"dbt parse failed:\n{result.stdout}{result.stderr}")
        for name in PARSE_ARTIFACTS:
            (Path(parse_dir) / name).replace(TARGET_DIR / name)
    return MANIFEST_PATH
