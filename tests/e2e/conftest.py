"""One generated landing zone, run through the whole pipeline once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pipeline_run import AS_OF, END_DATE, SEED_RULES, PipelineRun

from ingestion.generator import generate_landing_zone
from orchestration.runner import run_nightly
from orchestration.settings import load_settings


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
            "LEADSCORE_REPORT_DIR": str(root / "reports"),
            "LEADSCORE_RULES": str(SEED_RULES),
        }
    )
    result = run_nightly(settings, AS_OF)
    yield PipelineRun(settings=settings, truth_dir=root / "landing_truth", result=result)
