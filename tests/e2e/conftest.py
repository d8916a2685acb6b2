"""One generated landing zone, run through the whole pipeline once per test session."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.generator import generate_landing_zone
from orchestration.runner import run_nightly
from orchestration.settings import Settings, load_settings

END_DATE = date(2026, 6, 30)
# Clock-skewed events run up to 3 days past the last day: score after all of them, so that
# every row the ground truth calls `loaded` is in scope.
AS_OF = "2026-07-03"
SEED_RULES = Path(__file__).with_name("seed_rules.yml")


@dataclass(frozen=True)
class PipelineRun:
    settings: Settings
    truth_dir: Path
    result: dg.ExecuteInProcessResult

    def query(self, sql: str, parameters: list[object] | None = None) -> list[tuple]:
        with duckdb.connect(str(self.settings.warehouse_path), read_only=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()

    def truth(self, name: str) -> list[dict[str, str]]:
        with (self.truth_dir / name).open(newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    root = tmp_path_factory.mktemp("e2e")
    landing = root / "landing"
    generate_landing_zone(landing, leads=150, days=30, seed=11, end_date=END_DATE)
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(root / "exports"),
            "LEADSCORE_RULES": str(SEED_RULES),
        }
    )
    result = run_nightly(settings, AS_OF)
    yield PipelineRun(settings=settings, truth_dir=root / "landing_truth", result=result)
