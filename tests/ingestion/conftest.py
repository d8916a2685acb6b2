"""Shared fixtures: a landing zone copied from `fixtures/`, and a real dlt pipeline into DuckDB."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from raw_load import RawLoad, raw_pipeline

os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"

FIXTURES_DIR = Path(__file__).parent / "fixtures"


@pytest.fixture
def channel_run(tmp_path: Path) -> Callable[[str], RawLoad]:
    """Copy `fixtures/<channel>` to a fresh landing dir and build its pipeline."""

    def make(channel: str) -> RawLoad:
        landing_dir = tmp_path / "landing"
        shutil.copytree(FIXTURES_DIR / channel, landing_dir / channel)
        pipeline = raw_pipeline(channel, tmp_path / "w.duckdb", tmp_path / "pl")
        return RawLoad(channel, landing_dir, pipeline)

    return make
