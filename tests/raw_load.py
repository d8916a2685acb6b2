"""One channel's real dlt pipeline into `raw_<channel>` of a DuckDB file, and what it loaded.

The one helper for raw loads in tests: files mode over a copy of the fixtures
(`tests/ingestion/conftest.py`, fixture `channel_run`) and API mode against the fake APIs
(`tests/api_harness.py`, fixture `raw_load`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo

from ingestion.sources import CHANNEL_SOURCES


def raw_pipeline(channel: str, warehouse: Path, pipelines_dir: Path) -> dlt.Pipeline:
    """The pipeline of `channel` into `warehouse` (dataset `raw_<channel>`), state in tmp."""
    return dlt.pipeline(
        pipeline_name=f"leadscore_{channel}",
        destination=dlt.destinations.duckdb(str(warehouse)),
        dataset_name=f"raw_{channel}",
        pipelines_dir=str(pipelines_dir),
    )


@dataclass
class RawLoad:
    """One channel's pipeline over a landing zone (dataset `raw_<channel>`)."""

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
        """Data tables of the dataset, sorted (dlt's own and the delivery manifests left out:
        `tests/ingestion/test_deliveries.py` checks those); [] before any load."""
        return [
            name
            for (name,) in self.rows(
                "select table_name from information_schema.tables "
                f"where table_schema = '{self.dataset}' "
                "and table_name not like '\\_dlt%' escape '\\' "
                "and table_name not like '%\\_deliveries' escape '\\' order by 1"
            )
        ]

    def _per_table(self, select: str) -> list[tuple[Any, ...]]:
        """(table, value) rows of `select` (with `{table}` in it) over every data table."""
        tables = self.tables()
        if not tables:
            return []
        union = " union all ".join(
            f"select '{name}', * from ({select.format(table=f'{self.dataset}.{name}')})"
            for name in tables
        )
        return self.rows(f"select * from ({union}) order by all")

    def counts(self) -> dict[str, int]:
        """Row count of every data table; {} before any load."""
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
