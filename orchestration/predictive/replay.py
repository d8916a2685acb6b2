"""Replaying the dbt scoring models as of past cutoffs, in a scratch copy of the warehouse.

The real warehouse is never touched: it is copied once, the copy's `config` tables may be
replaced by another rules file, and each cutoff is one `dbt run` of the selected models with
`as_of` = the cutoff. The models filter every touchpoint and ledger row by `as_of`, so what a
replay reads as of a cutoff is exactly what a nightly run on that day would have scored.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.config.rules import CONFIG_TABLE_COLUMNS, RuleSet, config_tables
from orchestration.lake_catalog import attach_lake
from orchestration.resources import replace_tables
from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warm_dbt import dbt_executable

LOGGER = logging.getLogger(__name__)

# What a replay rebuilds per cutoff: the ledger, the scores and the model's features. The
# scoring stages the ledger reads (int_scoring__*) filter by as_of too: they come along.
SCORING_STAGES = "+score_ledger,path:models/intermediate/scoring"
FEATURE_MODELS = (SCORING_STAGES, "score_ledger", "lead_features")
SCORE_MODELS = (SCORING_STAGES, "score_ledger", "lead_scores")


class ReplayError(RuntimeError):
    """A replayed dbt run failed (its output says why)."""


def monthly_cutoffs(as_of: date, horizon_days: int, count: int, spacing_days: int) -> list[date]:
    """`count` cutoffs `spacing_days` apart, the latest with a whole horizon before `as_of`."""
    latest = as_of - timedelta(days=horizon_days)
    return sorted(latest - timedelta(days=spacing_days * step) for step in range(count))


class ScratchWarehouse:
    """A copy of the warehouse that replays may rebuild as of any day."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        connection = duckdb.connect(str(self.path))
        try:
            yield connection
        finally:
            connection.close()

    def use_rules(self, rules: RuleSet) -> None:
        """Replace the copy's `config` scoring tables by those of `rules`."""
        tables = config_tables(rules)
        with self.connect() as connection:
            replace_tables(
                connection,
                "config",
                {name: (CONFIG_TABLE_COLUMNS[name], rows) for name, rows in tables.items()},
            )

    def run_models(self, models: Sequence[str], as_of: date) -> None:
        """`dbt run` of `models` as of the end of day `as_of`, into this copy."""
        dbt = dbt_executable()
        dbt_vars = {"as_of": as_of.isoformat(), "warehouse_path": str(self.path)}
        folder = self.path.parent
        command = [
            str(dbt), "run", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(folder / "target"),
            "--log-path", str(folder / "logs"), "--vars", json.dumps(dbt_vars),
            "--select", *models,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise ReplayError(
                f"dbt run as of {as_of} failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
            )
        LOGGER.info("replayed %s as of %s", " ".join(models), as_of)

    def frame(self, sql: str, parameters: Sequence[object] = ()) -> pd.DataFrame:
        with self.connect() as connection:
            return connection.execute(sql, list(parameters)).df()


@contextmanager
def scratch_copy(warehouse_path: Path, lake_dir: Path | None = None) -> Iterator[ScratchWarehouse]:
    """A throwaway copy of the warehouse beside it (same disk), removed afterwards.

    With the spark engine (`lake_dir`) there is no warehouse file: the copy is a DuckDB file
    over the lake (views over the tables Spark built and dlt loaded, copies of the Python
    assets' tables; `lake_catalog.attach_lake`), and the replays run dbt-duckdb on it. They
    rebuild only the scoring stages, the ledger and the features, from the tables Spark built.
    """
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".replay-", dir=warehouse_path.parent))
    try:
        copy = folder / "replay.duckdb"
        if lake_dir is None:
            shutil.copyfile(warehouse_path, copy)
        else:
            with duckdb.connect(str(copy)) as connection:
                attach_lake(connection, lake_dir)
        yield ScratchWarehouse(copy)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


FEATURES_SQL = """
select lead_id, feature, numeric_value, text_value, is_converted_at_as_of
from marts.lead_features
"""

SCORES_SQL = """
select lead_id, total_score, band from marts.lead_scores
"""

# A rule's hits per lead as of the cutoff, as the score counts them: each ledger row weighs
# its decay factor and the share of its points the caps left (fit rules: 1). The rule score is
# then exactly Σ points × hits, so points fitted on these hits rank like the score they make.
RULE_HITS_SQL = """
select
    lead_id,
    rule_id,
    sum(
        decay_factor * case when points = 0 then 1 else points_after_caps / points end
    ) as hits
from marts.score_ledger
group by lead_id, rule_id
"""


def replay_features(scratch: ScratchWarehouse, cutoffs: Sequence[date]) -> pd.DataFrame:
    """`marts.lead_features` as of every cutoff, stacked, with a `cutoff` column."""
    frames = []
    for cutoff in cutoffs:
        scratch.run_models(FEATURE_MODELS, cutoff)
        frames.append(scratch.frame(FEATURES_SQL).assign(cutoff=pd.Timestamp(cutoff)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def replay_scores(
    scratch: ScratchWarehouse, cutoffs: Sequence[date]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores and rule hits per lead as of every cutoff (with the copy's current rules)."""
    scores, hits = [], []
    for cutoff in cutoffs:
        scratch.run_models(SCORE_MODELS, cutoff)
        stamp = pd.Timestamp(cutoff)
        scores.append(scratch.frame(SCORES_SQL).assign(cutoff=stamp))
        hits.append(scratch.frame(RULE_HITS_SQL).assign(cutoff=stamp))
    return pd.concat(scores, ignore_index=True), pd.concat(hits, ignore_index=True)
