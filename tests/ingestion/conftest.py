"""Shared fixtures: a landing zone copied from `fixtures/`, and a real dlt pipeline into DuckDB."""

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt
import pytest
from dlt.common.pipeline import LoadInfo

from ingestion.sources import CHANNEL_SOURCES

os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"

FIXTURES_DIR = Path(__file__).parent / "fixtures"


@dataclass
class ChannelRun:
    """One channel's pipeline over a landing zone in tmp_path (dataset `raw_<channel>`)."""

    channel: str
    landing_dir: Path
    pipeline: dlt.Pipeline

    @property
    def dataset(self) -> str:
        return f"raw_{self.channel}"

    def run(self, test_email_patterns: Sequence[str] | None = None) -> LoadInfo:
        source = CHANNEL_SOURCES[self.channel](self.landing_dir, test_email_patterns)
        return self.pipeline.run(source)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.pipeline.sql_client() as client:
            return [tuple(row) for row in client.execute_sql(sql)]

    def tables(self) -> list[str]:
        """Data tables of the dataset (dlt's own tables left out), sorted."""
        return [
            name
            for (name,) in self.rows(
                "select table_name from information_schema.tables "
                f"where table_schema = '{self.dataset}' "
                "and table_name not like '\\_dlt%' escape '\\' order by 1"
            )
        ]

    def _per_table(self, select: str) -> list[tuple[Any, ...]]:
        """(table, value) rows of `select` (with `{table}` in it) over every data table."""
        union = " union all ".join(
            f"select '{name}', * from ({select.format(table=f'{self.dataset}.{name}')})"
            for name in self.tables()
        )
        return self.rows(f"select * from ({union}) order by all")

    def counts(self) -> dict[str, int]:
        """Row count of every data table."""
        return dict(self._per_table("select count(*) from {table}"))

    def load_ids(self) -> dict[str, list[str]]:
        """Distinct `_dlt_load_id`s per data table."""
        load_ids: dict[str, list[str]] = {}
        for name, load_id in self._per_table("select distinct _dlt_load_id from {table}"):
            load_ids.setdefault(name, []).append(load_id)
        return load_ids

    def snapshot(self) -> tuple[dict[str, int], dict[str, list[str]]]:
        """Row counts and load ids of every data table: equal snapshots mean nothing changed."""
        return self.counts(), self.load_ids()

    def rejected(self, table: str) -> list[tuple[str, str, int, str, str]]:
        """(file, entity, position, disposition, reason) of `<table>`, sorted."""
        return self.rows(
            f"select file, entity, position, disposition, reason from {self.dataset}.{table} "
            "order by file, entity, position"
        )


@pytest.fixture
def channel_run(tmp_path: Path) -> Callable[[str], ChannelRun]:
    """Copy `fixtures/<channel>` to a fresh landing dir and build its pipeline."""

    def make(channel: str) -> ChannelRun:
        landing_dir = tmp_path / "landing"
        shutil.copytree(FIXTURES_DIR / channel, landing_dir / channel)
        pipeline = dlt.pipeline(
            pipeline_name=f"leadscore_{channel}",
            destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
            dataset_name=f"raw_{channel}",
            pipelines_dir=str(tmp_path / "pl"),
        )
        return ChannelRun(channel, landing_dir, pipeline)

    return make
