"""API mode test harness: one generated landing zone, fake APIs serving it, channel pipelines.

Loaded as a pytest plugin (see `tests/conftest.py`), so ingestion and reliability tests share
the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dlt
import pytest
from dlt.common.pipeline import LoadInfo

from ingestion.generator import generate_landing_zone
from ingestion.sources import CHANNEL_SOURCES
from testing.fake_apis import FakeApis, serve_fake_apis

# Short, bounded retries: 4 attempts, backoff capped at 1 s, a 1 s read timeout.
FAST_RETRIES = {
    "RUNTIME__REQUEST_MAX_ATTEMPTS": "4",
    "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.05",
    "RUNTIME__REQUEST_MAX_RETRY_DELAY": "1",
    "RUNTIME__REQUEST_TIMEOUT": "1",
}


@dataclass
class RawLoad:
    """One channel's dlt pipeline into `raw_<channel>` of a DuckDB file in tmp."""

    channel: str
    landing_dir: Path
    pipeline: dlt.Pipeline

    @property
    def dataset(self) -> str:
        return f"raw_{self.channel}"

    def run(self) -> LoadInfo:
        return self.pipeline.run(CHANNEL_SOURCES[self.channel](self.landing_dir))

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.pipeline.sql_client() as client:
            return [tuple(row) for row in client.execute_sql(sql)]

    def counts(self) -> dict[str, int]:
        """Row count of every data table (dlt's own tables and the delivery manifests, which
        tests/ingestion/test_deliveries.py checks, left out); {} before any load."""
        tables = self.rows(
            "select table_name from information_schema.tables "
            f"where table_schema = '{self.dataset}' "
            "and table_name not like '\\_dlt%' escape '\\' "
            "and table_name not like '%\\_deliveries' escape '\\' order by 1"
        )
        return {
            name: self.rows(f"select count(*) from {self.dataset}.{name}")[0][0]
            for (name,) in tables
        }


@pytest.fixture(scope="session")
def generated_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small dirty landing zone (fixed seed): 300 leads over 30 days."""
    landing = tmp_path_factory.mktemp("api") / "landing"
    generate_landing_zone(landing, leads=300, days=30, seed=11, end_date=date(2026, 6, 30))
    return landing


@pytest.fixture
def fake_apis(generated_landing: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    """Both fakes serving the landing zone, with API mode configured for them (dlt env vars)."""
    with serve_fake_apis(generated_landing) as apis:
        for name, value in {**apis.dlt_environment(), **FAST_RETRIES}.items():
            monkeypatch.setenv(name, value)
        yield apis


@pytest.fixture
def raw_load(tmp_path: Path, generated_landing: Path) -> Any:
    """`raw_load(channel, name)`: a pipeline of `channel` into `<name>.duckdb` in tmp_path."""

    def make(channel: str, name: str = "api") -> RawLoad:
        pipeline = dlt.pipeline(
            pipeline_name=f"leadscore_{channel}",
            destination=dlt.destinations.duckdb(str(tmp_path / f"{name}.duckdb")),
            dataset_name=f"raw_{channel}",
            pipelines_dir=str(tmp_path / f"{name}_pipelines"),
        )
        return RawLoad(channel, generated_landing, pipeline)

    return make
