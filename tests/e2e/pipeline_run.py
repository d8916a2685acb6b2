"""The end-to-end run's settings and the helpers tests use to read it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.settings import Settings

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
