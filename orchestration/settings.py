"""Every LEADSCORE_* setting, read in one place with the defaults of the output contract."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args

# The default test-record patterns live beside their matcher: one definition, read here.
from ingestion.parsing.emails import DEFAULT_TEST_EMAIL_PATTERNS
from orchestration.score_actions.salesforce_writeback import WRITABLE_COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_RULES_PATH = REPO_ROOT / "rules" / "default.yml"
DEFAULT_IDENTITY_RULES_PATH = REPO_ROOT / "rules" / "identity.yml"
DEFAULT_QUALITY_THRESHOLDS_PATH = REPO_ROOT / "quality" / "freshness.yml"

# Offline-friendly defaults for the libraries we drive; a user's explicit value wins.
LIBRARY_ENVIRONMENT = {
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    "LOAD__DELETE_COMPLETED_JOBS": "true",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
}


# The engine that holds the raw tables and runs dbt (README "Scale-out on Spark"): the
# embedded DuckDB file, or Parquet in a lake folder read by Spark (dbt-spark).
Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = get_args(Engine)


@dataclass(frozen=True)
class ModelSettings:
    """The predictive model: horizon, replayed cutoffs, minimum data, capacity, exclusions."""

    horizon_days: int = 90  # the label: converted within this many days after a cutoff
    cutoffs: int = 6  # how many cutoffs the training set stacks
    cutoff_spacing_days: int = 30  # days between cutoffs ("monthly")
    min_conversions: int = 120  # fewer converting leads: the model is not trusted (fallback)
    sales_capacity: int = 100  # leads sales can work: precision is measured on the top ones
    excluded_features: tuple[str, ...] = ()  # names or shell patterns the model must not use
    training_cron: str = "0 3 * * 0"  # weekly retraining (Sunday 03:00)


@dataclass(frozen=True)
class Settings:
    """Where leadscore reads and writes, and when it runs."""

    landing_dir: Path
    warehouse_path: Path
    export_dir: Path
    report_dir: Path  # the HTML report, report.html
    rules_path: Path
    identity_rules_path: Path
    test_email_patterns: tuple[str, ...]
    quarantine_rate_max: float  # a source's latest load above this rate raises a warning
    quality_thresholds_path: Path  # freshness, volume and score-drift limits
    alert_webhook_url: str  # failed runs and checks are POSTed here as JSON; empty: not sent
    alert_webhook_attempts: int  # tries per alert (exponential backoff between them)
    alert_webhook_backoff_seconds: float  # the first wait; doubled after each failed try
    schedule_cron: str
    schedule_timezone: str
    dagster_home: Path | None  # a persistent Dagster instance (runs show in the UI), if set
    is_dagster_dev: bool  # loaded by `dagster dev`: re-parse dbt so edits show up
    # `leadscore serve` (see README "Real time"); secrets never in the repr, so never logged
    write_key: str | None = field(default=None, repr=False)
    sendgrid_public_key: str | None = field(default=None, repr=False)
    micro_batch_poll_seconds: float = 2.0  # how often serve looks for files other tools land
    # The score acts: alert webhooks and Salesforce write-back (both off when empty)
    score_webhook_urls: tuple[str, ...] = field(default=(), repr=False)
    salesforce_writeback_fields: tuple[tuple[str, str], ...] = ()  # (column, Lead field)
    model: ModelSettings = field(default_factory=lambda: ModelSettings())
    # Privacy (README "Privacy"): the suppression list's salt (generated beside the warehouse
    # when unset), how long quarantined raw text is kept, pseudonymous BI exports.
    privacy_salt: str | None = field(default=None, repr=False)
    quarantine_raw_retention_days: int = 30
    pseudonymize_exports: bool = False
    # Scale-out (README "Scale-out on Spark"): with `spark`, dlt loads Parquet under
    # `lake_dir` (filesystem destination) and dbt runs its `spark` target over it.
    engine: Engine = "duckdb"
    lake_dir: Path = field(default_factory=lambda: Path("data/lake").resolve())
    # dbt invocations forked from one process that imported dbt (orchestration/warm_dbt)
    warm_dbt: bool = True

    @property
    def dbt_target(self) -> str:
        """The `profiles.yml` target of the engine: `dev` (dbt-duckdb) or `spark` (dbt-spark)."""
        return "spark" if self.engine == "spark" else "dev"

    @property
    def dlt_pipelines_dir(self) -> Path:
        """dlt's local state lives beside the warehouse it describes, one folder per file."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}_dlt")

    @property
    def serve_cursor_path(self) -> Path:
        """Where `leadscore serve` records how far its micro-batches got (beside the warehouse)."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}_serve_cursor.json")

    @property
    def privacy_salt_path(self) -> Path:
        """The generated suppression salt, when LEADSCORE_PRIVACY_SALT is unset (see privacy)."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}_privacy_salt")

    @property
    def identity_model_path(self) -> Path:
        """The Splink model the last run trained, beside the warehouse it matched."""
        return identity_model_path(self.warehouse_path)

    def with_overrides(self, **changes: Path | str | None) -> Settings:
        """A copy with the non-None changes applied (paths made absolute)."""
        # field by name: the types are the fields', which a keyword dict cannot spell
        clean: dict[str, Any] = {
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
        report_dir=Path(env.get("LEADSCORE_REPORT_DIR", "data/reports")).resolve(),
        rules_path=Path(env.get("LEADSCORE_RULES", str(DEFAULT_RULES_PATH))).resolve(),
        identity_rules_path=Path(
            env.get("LEADSCORE_IDENTITY_RULES", str(DEFAULT_IDENTITY_RULES_PATH))
        ).resolve(),
        test_email_patterns=(
            tuple(p.strip() for p in patterns.split(",") if p.strip())
            if patterns is not None
            else DEFAULT_TEST_EMAIL_PATTERNS
        ),
        quarantine_rate_max=_number(env, "LEADSCORE_QUARANTINE_RATE_MAX", 0.05),
        quality_thresholds_path=Path(
            env.get("LEADSCORE_QUALITY_THRESHOLDS", str(DEFAULT_QUALITY_THRESHOLDS_PATH))
        ).resolve(),
        alert_webhook_url=_webhook_url(env, "LEADSCORE_ALERT_WEBHOOK_URL"),
        alert_webhook_attempts=_whole(env, "LEADSCORE_ALERT_WEBHOOK_ATTEMPTS", 4),
        alert_webhook_backoff_seconds=_number(env, "LEADSCORE_ALERT_WEBHOOK_BACKOFF", 1.0),
        schedule_cron=env.get("LEADSCORE_SCHEDULE_CRON", "0 2 * * *"),
        schedule_timezone=env.get("LEADSCORE_SCHEDULE_TIMEZONE", "UTC"),
        dagster_home=Path(env["DAGSTER_HOME"]).resolve() if env.get("DAGSTER_HOME") else None,
        is_dagster_dev=bool(env.get("DAGSTER_IS_DEV_CLI")),
        write_key=env.get("LEADSCORE_WRITE_KEY") or None,
        sendgrid_public_key=env.get("LEADSCORE_SENDGRID_PUBLIC_KEY") or None,
        micro_batch_poll_seconds=_number(env, "LEADSCORE_MICRO_BATCH_POLL_SECONDS", 2.0),
        score_webhook_urls=_webhook_urls(env, "LEADSCORE_SCORE_WEBHOOK_URLS"),
        salesforce_writeback_fields=_salesforce_fields(env.get("LEADSCORE_SALESFORCE_FIELDS", "")),
        model=load_model_settings(env),
        privacy_salt=env.get("LEADSCORE_PRIVACY_SALT") or None,
        quarantine_raw_retention_days=_whole(env, "LEADSCORE_QUARANTINE_RAW_DAYS", 30),
        pseudonymize_exports=_flag(env, "LEADSCORE_PSEUDONYMIZE_EXPORTS"),
        engine=_engine(env, "LEADSCORE_ENGINE"),
        lake_dir=Path(env.get("LEADSCORE_LAKE_DIR", "data/lake")).resolve(),
        warm_dbt=_flag(env, "LEADSCORE_WARM_DBT", default=True),
    )


def load_model_settings(env: Mapping[str, str]) -> ModelSettings:
    """The LEADSCORE_MODEL_* settings (and the sales capacity), with their defaults."""
    defaults = ModelSettings()
    excluded = env.get("LEADSCORE_MODEL_EXCLUDED_FEATURES", "")
    return ModelSettings(
        horizon_days=_whole(env, "LEADSCORE_MODEL_HORIZON_DAYS", defaults.horizon_days),
        cutoffs=_whole(env, "LEADSCORE_MODEL_CUTOFFS", defaults.cutoffs),
        cutoff_spacing_days=_whole(
            env, "LEADSCORE_MODEL_CUTOFF_SPACING_DAYS", defaults.cutoff_spacing_days
        ),
        min_conversions=_whole(env, "LEADSCORE_MODEL_MIN_CONVERSIONS", defaults.min_conversions),
        sales_capacity=_whole(env, "LEADSCORE_SALES_CAPACITY", defaults.sales_capacity),
        excluded_features=tuple(p.strip() for p in excluded.split(",") if p.strip()),
        training_cron=env.get("LEADSCORE_TRAINING_CRON", defaults.training_cron),
    )


def _comma_list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


class SettingsError(ValueError):
    """A setting that cannot be read: the message names it, the bad part and the format."""


def _invalid(name: str, value: str, expected: str) -> SettingsError:
    return SettingsError(f"{name}: {value!r} is not valid; expected {expected}")


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 0 (an unset or empty setting: the default)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise _invalid(name, text, f"a whole number like {default}")
    return int(text)


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of at least 0 (an unset or empty setting: the default)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise _invalid(name, text, f"a number of at least 0 like {default:g}")
    return value


FLAG_VALUES = {
    "": False,
    "0": False,
    "false": False,
    "no": False,
    "1": True,
    "true": True,
    "yes": True,
}


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    text = env.get(name, "").strip()
    if not text:
        return default
    if text.lower() not in FLAG_VALUES:
        raise _invalid(name, text, "one of 1, true, yes, 0, false, no (or unset)")
    return FLAG_VALUES[text.lower()]


def _engine(env: Mapping[str, str], name: str) -> Engine:
    """`duckdb` (unset or empty) or `spark`."""
    text = env.get(name, "").strip().lower() or "duckdb"
    for engine in ENGINES:
        if text == engine:
            return engine
    raise _invalid(name, text, f"one of {', '.join(ENGINES)} (or unset: duckdb)")


def _webhook_url(env: Mapping[str, str], name: str) -> str:
    """An http(s) URL, or empty (not sent)."""
    url = env.get(name, "").strip()
    if url and not re.fullmatch(r"https?://[^\s/]+\S*", url):
        # never echo the URL: a webhook URL often carries its token
        raise SettingsError(f"{name}: not an http(s) URL; expected https://host/path")
    return url


def _webhook_urls(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated http(s) URLs."""
    urls = _comma_list(env.get(name, ""))
    for position, url in enumerate(urls, start=1):
        if not re.fullmatch(r"https?://[^\s/,]+\S*", url):
            raise SettingsError(
                f"{name}: URL number {position} is not an http(s) URL; expected "
                "comma-separated https://host/path URLs"
            )
    return urls


SALESFORCE_FIELDS_FORMAT = (
    "comma-separated column=Field__c pairs like total_score=Lead_Score__c,band=Lead_Band__c; "
    f"columns: {', '.join(WRITABLE_COLUMNS)}"
)
SALESFORCE_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _salesforce_fields(text: str) -> tuple[tuple[str, str], ...]:
    """`total_score=Lead_Score__c,band=Lead_Band__c` -> (column, Lead field) pairs."""
    name = "LEADSCORE_SALESFORCE_FIELDS"
    pairs: list[tuple[str, str]] = []
    for item in _comma_list(text):
        column, separator, sobject_field = (part.strip() for part in item.partition("="))
        if not separator or not column or not sobject_field:
            raise _invalid(name, item, SALESFORCE_FIELDS_FORMAT)
        if column not in WRITABLE_COLUMNS:
            raise _invalid(
                name, item, f"a lead_scores column before '=': {SALESFORCE_FIELDS_FORMAT}"
            )
        if not SALESFORCE_FIELD_NAME.fullmatch(sobject_field):
            raise _invalid(
                name, item, f"a Salesforce field API name after '=': {SALESFORCE_FIELDS_FORMAT}"
            )
        if column in (known for known, _ in pairs):
            raise _invalid(name, item, f"each column once: {SALESFORCE_FIELDS_FORMAT}")
        pairs.append((column, sobject_field))
    return tuple(pairs)


def configure_library_environment() -> None:
    """Turn off telemetry and keep dlt's load folders small, unless the user chose otherwise."""
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
