"""The Spark side of the engine comparison: dlt into the lake, then dbt's `spark` target.

Ingestion and the rules are the real Dagster assets with `LEADSCORE_ENGINE=spark` (dlt's
filesystem destination, the config tables as Parquet). The Python assets that do not follow
the engine yet (Splink's fuzzy matches, the Markov/Shapley attribution, the predictions) are
handed over from the DuckDB run as Parquet, so the comparison is of the SQL on equal inputs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.sources import CHANNEL_SOURCES
from orchestration.assets.config_tables import identity_rules, scoring_rules
from orchestration.assets.ingestion import channel_assets
from orchestration.lake import lake_tables
from orchestration.resources import build_resources
from orchestration.settings import DBT_PROJECT_DIR, Settings

# The tables Python assets write (schema, table) that the Spark run takes from DuckDB's.
HANDED_OVER = (
    ("identity", "fuzzy_matches"),
    ("attribution", "markov_shapley_credits"),
    ("attribution", "markov_removal_effects"),
    ("attribution", "attribution_runs"),
    ("predictive", "lead_predictions"),
)


@dataclass(frozen=True)
class EngineRuns:
    """The two runs of one landing zone: DuckDB's settings, Spark's, and each model's dbt
    status on Spark."""

    duckdb: Settings
    spark: Settings
    spark_statuses: dict[str, str]  # model name -> success, error, skipped


def load_lake(settings: Settings) -> None:
    """Every channel and both rules files into the lake, through the Dagster assets."""
    assets = [channel_assets(channel, make, settings) for channel, make in CHANNEL_SOURCES.items()]
    result = dg.materialize(
        [*assets, scoring_rules, identity_rules], resources=build_resources(settings)
    )
    assert result.success


def hand_over(warehouse: Path, lake_dir: Path) -> None:
    """The Python assets' tables of the DuckDB run, as Parquet folders of the lake."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for schema, table in HANDED_OVER:
            folder = lake_dir / schema / table
            folder.mkdir(parents=True, exist_ok=True)
            connection.execute(
                f"copy {schema}.{table} to '{folder / 'rows.parquet'}' (format parquet)"
            )


def run_dbt(settings: Settings, as_of: str, work: Path, select: str = "fqn:*") -> Mapping[str, str]:
    """`dbt run` of `select` on the spark target; each model's status (success, error, skipped)."""
    dbt_vars = {
        "as_of": as_of,
        "lake_dir": str(settings.lake_dir),
        "lake_tables": lake_tables(settings.lake_dir),
        "quarantine_rate_max": settings.quarantine_rate_max,
        "source_max_silence_hours": {},
    }
    target = work / "dbt_target"
    with (work / "dbt_spark.log").open("a") as log:
        for command in (["seed"], ["run", "--select", select]):
            subprocess.run(  # noqa: S603 - this venv's dbt, fixed arguments
                [
                    str(Path(sys.executable).parent / "dbt"),
                    *command,
                    "--target", "spark",
                    "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR),
                    "--target-path", str(target),
                    "--log-path", str(work / "dbt_logs"),
                    "--vars", json.dumps(dbt_vars),
                ],
                cwd=work,
                check=False,
                stdout=log,
                stderr=log,
            )  # fmt: skip
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[-1]: result["status"] for result in results}


def spark_table(lake_dir: Path, schema: str, table: str) -> str:
    """A DuckDB `read_parquet` of a table dbt-spark materialized under the lake (a
    partitioned one, e.g. lead_score_history by `date`, in `<column>=<value>/` folders)."""
    folder = lake_dir / "spark-warehouse" / f"{schema}.db" / table
    return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
