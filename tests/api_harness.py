"""API mode test harness: one generated landing zone, fake APIs serving it, channel pipelines.

Loaded as a pytest plugin (see `tests/conftest.py`), so ingestion and reliability tests share
the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from raw_load import RawLoad, raw_pipeline

from ingestion.generator import generate_landing_zone
from testing.fake_apis import FakeApis, serve_fake_apis

# Short, bounded retries: 4 attempts, backoff capped at 1 s, a 1 s read timeout.
FAST_RETRIES = {
    "RUNTIME__REQUEST_MAX_ATTEMPTS": "4",
    "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.05",
    "RUNTIME__REQUEST_MAX_RETRY_DELAY": "1",
    "RUNTIME__REQUEST_TIMEOUT": "1",
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
        pipeline = raw_pipeline(
            channel, tmp_path / f"{name}.duckdb", tmp_path / f"{name}_pipelines"
        )
        return RawLoad(channel, generated_landing, pipeline)

    return make
