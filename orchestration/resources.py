"""Dagster resources: everything external the assets touch (warehouse, landing zone, rules, dbt)."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypedDict

import dagster as dg
import dlt
import duckdb
import pandas as pd
from dagster_dbt import DbtCliInvocation, DbtCliResource
from dagster_dlt import DagsterDltResource
from dlt import Pipeline
from packaging import version

from ingestion.plumbing import raw_destination
from orchestration.lake import replace_lake_tables
from orchestration.lake_catalog import lake_connection
from orchestration.settings import DBT_PROJECT_DIR, Settings
from orchestration.warm_dbt import (
    client_executable,
    ensure_warm_dbt,
    is_warm_client,
    plain_dbt_executable,
    start_warm_dbt,
)
from orchestration.webhooks import Delivery, RetryPolicy, post_json
from quality.thresholds import QualityThresholds, ThresholdsError, load_thresholds

if TYPE_CHECKING:
    # A resource's value is the resource itself. Subscripted at run time the pydantic model
    # would become a new class in every resource's MRO, so only the type checker sees it.
    ConfigurableResource = dg.ConfigurableResource[Any]
else:
    ConfigurableResource = dg.ConfigurableResource

# Files created by DuckDB 2 default to a storage format DuckDB 1.x cannot open; BI tools still
# ship 1.x, so a new warehouse is created in the newest format they read (see README).
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"
# DuckDB's own default is 80% of the machine's memory, and it keeps what it took until the
# connection closes: dlt's merge of the first web load (734k rows, 1M touchpoints) grew the
# process by 1.3 GiB. With a limit DuckDB spills to a temporary folder beside the file instead.
# Set after connecting (dlt does the same with `global_config`), not as connect-time config:
# DuckDB refuses a second connection to a file open in the process with another config.
DUCKDB_CONFIG: Final[dict[str, str]] = {"memory_limit": "1GB"}


class WarehouseResource(ConfigurableResource):
    """The embedded DuckDB warehouse. One writer at a time: open, use, close within a step."""

    path: str
    dlt_pipelines_dir: str
    quarantine_raw_retention_days: int = 30  # raw text of rejected rows purged after this
    engine: str = "duckdb"  # `spark`: raw tables as Parquet under lake_dir (settings.Engine)
    lake_dir: str = ""

    @property
    def lake(self) -> Path | None:
        """The lake folder with the spark engine (the store then); None on DuckDB."""
        return Path(self.lake_dir) if self.engine == "spark" else None

    def ensure_created(self) -> None:
        """Create the file (in the BI-compatible storage format) if it does not exist yet
        (nothing with the spark engine: the lake is the store)."""
        path = Path(self.path)
        if path.exists() or self.engine == "spark":
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        duckdb.connect(
            str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION}
        ).close()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection closed on exit, so the write lock never outlives a step.

        With the spark engine: an in-memory DuckDB over the lake, the same `schema.table`
        names; a write connection puts the tables changed in it back into the lake
        (`orchestration/lake_catalog.py`).
        """
        if self.lake is not None:
            with lake_connection(self.lake, write=not read_only) as connection:
                yield connection
            return
        if not read_only:
            self.ensure_created()
        connection = duckdb.connect(self.path, read_only=read_only)
        for name, value in DUCKDB_CONFIG.items():  # our constants, not user input
            connection.execute(f"set {name} = '{value}'")
        try:
            yield connection
        finally:
            connection.close()

    def dlt_pipeline(self, channel: str) -> Pipeline:
        """The dlt pipeline that loads one channel into `raw_<channel>` of this warehouse."""
        return make_dlt_pipeline(
            channel,
            Path(self.path),
            Path(self.dlt_pipelines_dir),
            engine=self.engine,
            lake_dir=Path(self.lake_dir),
        )

    def replace_tables(self, schema: str, tables: Mapping[str, TableContent]) -> None:
        """Replace every `schema.table` with its rows in one transaction (with the spark
        engine: the lake's Parquet folders, one at a time)."""
        if self.engine == "spark":
            replace_lake_tables(Path(self.lake_dir), schema, tables)
            return
        with self.connect() as connection:
            replace_tables(connection, schema, tables)

    def replace_tables_from_frames(
        self, schema: str, tables: Mapping[str, tuple[Mapping[str, str], pd.DataFrame]]
    ) -> None:
        """Replace every `schema.table` with a DataFrame's rows (typed columns) in one
        transaction; bulk, for tables too large for row-by-row inserts (with the spark
        engine: into the lake, through the write connection)."""
        with self.connect() as connection:
            connection.execute("begin")
            connection.execute(f'create schema if not exists "{schema}"')
            for table, (columns, frame) in tables.items():
                _create_table(connection, schema, table, columns)
                connection.register("replacement_rows", frame.loc[:, list(columns)])
                column_list = ", ".join(f'"{name}"' for name in columns)
                connection.execute(
                    f'insert into "{schema}"."{table}" '  # noqa: S608
                    f"select {column_list} from replacement_rows"
                )
                connection.unregister("replacement_rows")
            connection.execute("commit")


# dlt's default for DuckDB is INSERT statements: 30x slower and 6x the memory of Parquet
# load files on 70k web events (measured; see benchmarks/ingestion_throughput.py).
LOADER_FILE_FORMAT: Final = "parquet"

# (column name -> SQL type, rows) of one table written by `replace_tables`.
TableContent = tuple[Mapping[str, str], Sequence[Mapping[str, object]]]


def replace_tables(
    connection: duckdb.DuckDBPyConnection, schema: str, tables: Mapping[str, TableContent]
) -> None:
    """Replace every `schema.table` with its rows in one transaction.

    Identifiers come from the caller's fixed column lists; values are bound parameters.
    """
    connection.execute("begin")
    connection.execute(f'create schema if not exists "{schema}"')
    for table, (columns, rows) in tables.items():
        placeholders = ", ".join("?" for _ in columns)
        _create_table(connection, schema, table, columns)
        if rows:
            connection.executemany(
                f'insert into "{schema}"."{table}" values ({placeholders})',  # noqa: S608
                [[row[name] for name in columns] for row in rows],
            )
    connection.execute("commit")


def _create_table(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str, columns: Mapping[str, str]
) -> None:
    column_list = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    connection.execute(f'create or replace table "{schema}"."{table}" ({column_list})')


def make_dlt_pipeline(
    channel: str,
    warehouse_path: Path,
    pipelines_dir: Path,
    engine: str = "duckdb",
    lake_dir: Path | None = None,
) -> Pipeline:
    """A dlt pipeline loading `channel` into the `raw_<channel>` schema of the warehouse (or
    dataset of the lake, with the spark engine: see `raw_destination`)."""
    return dlt.pipeline(
        pipeline_name=f"leadscore_{channel}",
        destination=raw_destination(
            engine, warehouse_path, lake_dir or warehouse_path.parent, DUCKDB_CONFIG
        ),
        dataset_name=f"raw_{channel}",
        pipelines_dir=str(pipelines_dir),
    )


class ExportDirResource(ConfigurableResource):
    """Where BI tools read Parquet files; a file is replaced atomically, never rewritten."""

    path: str
    pseudonymize: bool = False  # hashed emails and keys, no names (README "Privacy")

    def publish_parquet(
        self, connection: duckdb.DuckDBPyConnection, schema: str, table: str
    ) -> int:
        """Write `schema.table` to `<table>.parquet` by a rename; return its row count.

        `schema` and `table` are identifiers of the caller's fixed list (dbt mart names).
        """
        from orchestration.privacy.masking import pseudonymized_select

        folder = Path(self.path)
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{table}.parquet"
        partial = folder / f".{table}.parquet.partial"
        relation = connection.table(f'"{schema}"."{table}"')
        if self.pseudonymize:
            relation = relation.select(pseudonymized_select(list(relation.columns)))
        relation.write_parquet(str(partial))
        # rename(2) is atomic within one file system: a reader opens the old or the new file.
        partial.replace(final)
        # fetchall, not fetchone: DuckDB 2 keeps a half-read result open on the connection
        return int(
            connection.execute("select count(*) from read_parquet(?)", [str(final)]).fetchall()[0][
                0
            ]
        )


class ReportDirResource(ConfigurableResource):
    """Where the HTML report is written; replaced atomically, never rewritten in place."""

    path: str

    @property
    def report_path(self) -> Path:
        return Path(self.path) / REPORT_FILE_NAME

    def publish_html(self, html: str) -> Path:
        """Write `report.html` under a temporary name, then rename it into place."""
        final = self.report_path
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{final.name}.partial")
        partial.write_text(html, encoding="utf-8")
        partial.replace(final)  # atomic within one file system: a reader sees old or new
        return final


REPORT_FILE_NAME = "report.html"


class LandingZoneResource(ConfigurableResource):
    """The files landing zone: one folder per source, files never change once landed."""

    path: str
    test_email_patterns: list[str]


class ScoringResource(ConfigurableResource):
    """What to score with (the rules file), as of when (a day; empty means today, UTC), and
    the quality thresholds the dbt tests apply."""

    rules_path: str
    as_of: str = ""
    quarantine_rate_max: float = 0.05

    def as_of_date(self) -> date:
        if not self.as_of:
            return datetime.now(tz=UTC).date()
        try:
            return date.fromisoformat(self.as_of)
        except ValueError:
            raise dg.Failure(f"as_of must be a day like 2026-06-30, got {self.as_of!r}") from None


class ScoreActionsResource(ConfigurableResource):
    """Where the score acts: alert webhook URLs and the Salesforce Lead fields to write
    (both off when empty). Webhooks go through the one sender (`orchestration/webhooks.py`),
    Salesforce through dlt's retrying session (429/5xx/timeouts)."""

    webhook_urls: list[str] = []
    salesforce_fields: dict[str, str] = {}  # lead_scores column -> Lead field
    webhook_attempts: int = 4
    webhook_backoff_seconds: float = 1.0

    def post_json(self, url: str, body: dict[str, Any]) -> Delivery:
        """POST a JSON body with the configured retries; what came of it."""
        policy = RetryPolicy(self.webhook_attempts, self.webhook_backoff_seconds)
        return post_json(url, body, policy)

    def salesforce_patch(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """PATCH `path` of the configured Salesforce (SOURCES__SALESFORCE__BASE_URL)."""
        from ingestion.api_client import api_secret, api_setting, retrying_session

        base_url = api_setting("salesforce", "base_url")
        if base_url is None:
            raise dg.Failure(
                "LEADSCORE_SALESFORCE_FIELDS is set but SOURCES__SALESFORCE__BASE_URL is not"
            )
        token = api_secret("salesforce", "access_token")
        response = retrying_session().patch(
            base_url.rstrip("/") + path, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        try:
            answer = response.json()
        except ValueError:
            answer = None
        return response.status_code, answer


class QualityResource(ConfigurableResource):
    """The freshness, volume and score-drift thresholds (quality/freshness.yml by default)."""

    thresholds_path: str

    def thresholds(self) -> QualityThresholds:
        try:
            return load_thresholds(Path(self.thresholds_path))
        except ThresholdsError as error:
            raise dg.Failure(description=str(error)) from None


class AlertsResource(ConfigurableResource):
    """Where failure alerts are POSTed (LEADSCORE_ALERT_WEBHOOK_URL; empty: recorded only)."""

    webhook_url: str = ""
    attempts: int = 4
    backoff_seconds: float = 1.0


class ModelResource(ConfigurableResource):
    """The predictive model's settings (LEADSCORE_MODEL_*, see settings.ModelSettings)."""

    horizon_days: int
    cutoffs: int
    cutoff_spacing_days: int
    min_conversions: int
    sales_capacity: int
    excluded_features: list[str]


class IdentityResource(ConfigurableResource):
    """The identity guard-rails file (rules/identity.yml by default)."""

    rules_path: str


class Resources(TypedDict):
    """The resources of the code location, by the name assets ask for them."""

    dlt: DagsterDltResource
    warehouse: WarehouseResource
    landing: LandingZoneResource
    exports: ExportDirResource
    reports: ReportDirResource
    scoring: ScoringResource
    identity: IdentityResource
    score_actions: ScoreActionsResource
    quality: QualityResource
    alerts: AlertsResource
    model: ModelResource
    dbt: DbtCliResource


class VenvDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource, for the dbt of this venv (the one `dbt_executable` names).

    dagster-dbt asks the executable its version (`dbt --version`, a whole dbt start-up: 3 s
    of CPU, 15 s of wall time on a loaded 2-core machine) once per resource instance, that
    is once per run. The executable is this venv's, so its version is the installed
    dbt-core package's: read from the package metadata, every micro-batch saves that start-up.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> Any:
        """No adapter in Dagster's process (dagster-dbt then streams events as they come).

        Before every invocation dagster-dbt loads the dbt project in-process (profile,
        project, every macro: ~1 s of CPU, 3 s of wall time on a loaded 2-core machine) to
        get an adapter, which only `fetch_row_counts()` and `fetch_column_metadata()` use;
        our assets use neither (`_with_metadata` reads the warehouse after dbt). Without one,
        dagster-dbt also streams events as dbt emits them instead of after the process.
        """
        return None

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        super().setup_for_execution(context)
        if is_warm_client(Path(self.dbt_executable)):
            # its ~3 s import overlaps the run's first steps (ingestion)
            start_warm_dbt(plain_dbt_executable())

    def cli(self, args: Sequence[str], **kwargs: Any) -> DbtCliInvocation:
        if is_warm_client(Path(self.dbt_executable)):
            # the client runs the plain dbt by itself when no server is ready
            ensure_warm_dbt(plain_dbt_executable())
        return super().cli(args, **kwargs)


def build_resources(settings: Settings, as_of: str = "") -> Resources:
    """Every resource of the code location, configured from the settings."""
    return {
        "dlt": DagsterDltResource(),
        "warehouse": WarehouseResource(
            path=str(settings.warehouse_path),
            dlt_pipelines_dir=str(settings.dlt_pipelines_dir),
            quarantine_raw_retention_days=settings.quarantine_raw_retention_days,
            engine=settings.engine,
            lake_dir=str(settings.lake_dir),
        ),
        "landing": LandingZoneResource(
            path=str(settings.landing_dir),
            test_email_patterns=list(settings.test_email_patterns),
        ),
        "exports": ExportDirResource(
            path=str(settings.export_dir), pseudonymize=settings.pseudonymize_exports
        ),
        "reports": ReportDirResource(path=str(settings.report_dir)),
        "scoring": ScoringResource(
            rules_path=str(settings.rules_path),
            as_of=as_of,
            quarantine_rate_max=settings.quarantine_rate_max,
        ),
        "identity": IdentityResource(rules_path=str(settings.identity_rules_path)),
        "score_actions": ScoreActionsResource(
            webhook_urls=list(settings.score_webhook_urls),
            salesforce_fields=dict(settings.salesforce_writeback_fields),
            webhook_attempts=settings.alert_webhook_attempts,
            webhook_backoff_seconds=settings.alert_webhook_backoff_seconds,
        ),
        "quality": QualityResource(thresholds_path=str(settings.quality_thresholds_path)),
        "alerts": AlertsResource(
            webhook_url=settings.alert_webhook_url,
            attempts=settings.alert_webhook_attempts,
            backoff_seconds=settings.alert_webhook_backoff_seconds,
        ),
        "model": ModelResource(
            horizon_days=settings.model.horizon_days,
            cutoffs=settings.model.cutoffs,
            cutoff_spacing_days=settings.model.cutoff_spacing_days,
            min_conversions=settings.model.min_conversions,
            sales_capacity=settings.model.sales_capacity,
            excluded_features=list(settings.model.excluded_features),
        ),
        # The venv's dbt, explicitly: `dbt` may not be on PATH and `dbtf` would be preferred.
        "dbt": VenvDbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            dbt_executable=str(
                client_executable(plain_dbt_executable())
                if settings.warm_dbt
                else plain_dbt_executable()
            ),
            target=settings.dbt_target,
        ),
    }
