"""Shared fixtures: a landing zone copied from `fixtures/`, and a real dlt pipeline into DuckDB."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import dlt
import pytest
from channel_run import ChannelRun

os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"

FIXTURES_DIR = Path(__file__).parent / "fixtures"


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
