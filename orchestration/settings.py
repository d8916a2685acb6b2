"""Every LEADSCORE_* setting, read in one place with the defaults of the output contract."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_RULES_PATH = REPO_ROOT / "rules" / "default.yml"
DEFAULT_IDENTITY_RULES_PATH = REPO_ROOT / "rules" / "identity.yml"
DEFAULT_TEST_EMAIL_PATTERNS = ("*@mailinator.com", "test+*@*", "qa+*@*")

# Offline-friendly defaults for the libraries we drive; a user's explicit value wins.
LIBRARY_ENVIRONMENT = {
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    "LOAD__DELETE_COMPLETED_JOBS": "true",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
}


@dataclass(frozen=True)
class Settings:
    """Where leadscore reads and writes, and when it runs."""

    landing_dir: Path
    warehouse_path: Path
    export_dir: Path
    rules_path: Path
    identity_rules_path: Path
    test_email_patterns: tuple[str, ...]
    quarantine_rate_max: float  # a source's latest load above this rate raises a warning
    schedule_cron: str
    schedule_timezone: str
    dagster_home: Path | None  # a persistent Dagster instance (runs show in the UI), if set
    is_dagster_dev: bool  # loaded by `dagster dev`: re-parse dbt so edits show up

    @property
    def dlt_pipelines_dir(self) -> Path:
        """dlt's local state lives beside the warehouse it describes, one folder per file."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}_dlt")

    @property
    def identity_model_path(self) -> Path:
        """The Splink model the last run trained, beside the warehouse it matched."""
        return identity_model_path(self.warehouse_path)

    def with_overrides(self, **changes: Path | str | None) -> Settings:
        """A copy with the non-None changes applied (paths made absolute)."""
        clean = {
            key: (Path(value).resolve() if key.endswith(("_dir", "_path")) else value)
            for key, value in changes.items()
            if value is not None
        }
        return replace(self, **clean)


def identity_model_path(warehouse_path: Path) -> Path:
    """`<warehouse>_identity_model.json` beside the warehouse file (read by `explain`)."""
    return warehouse_path.with_name(f"{warehouse_path.stem}_identity_model.json")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from the environment (or the given mapping)."""
    env = os.environ if environ is None else environ
    patterns = env.get("LEADSCORE_TEST_EMAIL_PATTERNS")
    return Settings(
        landing_dir=Path(env.get("LEADSCORE_LANDING_DIR", "data/landing")).resolve(),
        warehouse_path=Path(env.get("LEADSCORE_WAREHOUSE", "data/warehouse.duckdb")).resolve(),
        export_dir=Path(env.get("LEADSCORE_EXPORT_DIR", "data/exports")).resolve(),
        rules_path=Path(env.get("LEADSCORE_RULES", str(DEFAULT_RULES_PATH))).resolve(),
        identity_rules_path=Path(
            env.get("LEADSCORE_IDENTITY_RULES", str(DEFAULT_IDENTITY_RULES_PATH))
        ).resolve(),
        test_email_patterns=(
            tuple(p.strip() for p in patterns.split(",") if p.strip())
            if patterns is not None
            else DEFAULT_TEST_EMAIL_PATTERNS
        ),
        quarantine_rate_max=float(env.get("LEADSCORE_QUARANTINE_RATE_MAX", "0.05")),
        schedule_cron=env.get("LEADSCORE_SCHEDULE_CRON", "0 2 * * *"),
        schedule_timezone=env.get("LEADSCORE_SCHEDULE_TIMEZONE", "UTC"),
        dagster_home=Path(env["DAGSTER_HOME"]).resolve() if env.get("DAGSTER_HOME") else None,
        is_dagster_dev=bool(env.get("DAGSTER_IS_DEV_CLI")),
    )


def configure_library_environment() -> None:
    """Turn off telemetry and keep dlt's load folders small, unless the user chose otherwise."""
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
