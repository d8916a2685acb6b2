"""Score observability checks on a hand-made lead_score_history of two days."""

from __future__ import annotations

import math
from pathlib import Path

import dagster as dg
import pytest

from orchestration.checks.scores import daily_score_moves, hot_lead_jump, score_distribution_drift
from orchestration.resources import QualityResource, WarehouseResource
from quality.thresholds import DEFAULT_THRESHOLDS_PATH

# day 1: 2 hot, 3 warm, 5 cold; day 2: 8 hot, 1 warm, 1 cold; ld_9 jumps by 50 points
HISTORY_SQL = """
create schema marts;
create table marts.lead_score_history as
select date '2026-06-29' as date, 'ld_' || i as lead_id, 10.0 * i as total_score,
    case when i >= 8 then 'hot' when i >= 5 then 'warm' else 'cold' end as band
from range(10) as t(i)
union all
select date '2026-06-30', 'ld_' || i, 10.0 * i + case when i = 9 then 50 else 5 end,
    case when i >= 2 then 'hot' when i >= 1 then 'warm' else 'cold' end
from range(10) as t(i)
"""


@pytest.fixture()
def resources(tmp_path: Path) -> dict[str, dg.ConfigurableResource]:
    warehouse = WarehouseResource(path=str(tmp_path / "w.duckdb"), dlt_pipelines_dir="-")
    with warehouse.connect() as connection:
        connection.execute(HISTORY_SQL)
    return {
        "warehouse": warehouse,
        "quality": QualityResource(thresholds_path=str(DEFAULT_THRESHOLDS_PATH)),
    }


def test_a_sudden_jump_in_hot_leads_warns(resources: dict) -> None:
    result = hot_lead_jump(**resources)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.description == "hot leads jumped from 2 on 2026-06-29 to 8 on 2026-06-30"
    assert result.metadata["ratio"].value == 4.0


def test_the_band_mix_drift_is_the_psi_by_hand(resources: dict) -> None:
    result = score_distribution_drift(**resources)
    # cold 0.5 -> 0.1, hot 0.2 -> 0.8, warm 0.3 -> 0.1
    expected = sum(
        (after - before) * math.log(after / before)
        for before, after in ((0.5, 0.1), (0.2, 0.8), (0.3, 0.1))
    )
    assert result.metadata["psi_band"].value == pytest.approx(expected, abs=1e-4)
    assert not result.passed


def test_a_lead_that_moved_more_than_the_limit_is_listed(resources: dict) -> None:
    result = daily_score_moves(**resources)
    assert not result.passed
    assert result.metadata["leads_over_limit"].value == 1
    assert result.metadata["largest_moves"].value == [
        {"lead_id": "ld_9", "previous": 90.0, "total": 140.0, "moved": 50.0}
    ]


def test_one_scored_day_has_nothing_to_compare(tmp_path: Path) -> None:
    warehouse = WarehouseResource(path=str(tmp_path / "one.duckdb"), dlt_pipelines_dir="-")
    with warehouse.connect() as connection:
        connection.execute(HISTORY_SQL.replace("date '2026-06-29'", "date '2026-06-30'"))
    quality = QualityResource(thresholds_path=str(DEFAULT_THRESHOLDS_PATH))
    assert hot_lead_jump(warehouse=warehouse, quality=quality).passed
