"""Identity resolution against the generator's ground truth on a dirty landing zone.

Pairwise precision and recall over the identifiers the pipeline can possibly see (the exact
definition is in `quality/identity_resolution.py` and the README, "Identity resolution").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.generator import generate_landing_zone
from orchestration.runner import run_nightly
from orchestration.settings import load_settings
from quality.identity_resolution import measure

SEED = 5


@pytest.fixture(scope="module")
def resolved(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, Path, dg.ExecuteInProcessResult]]:
    """(truth dir, warehouse, run) after one nightly run over 300 generated people."""
    root = tmp_path_factory.mktemp("identity_quality")
    landing = root / "landing"
    generate_landing_zone(landing, leads=300, seed=SEED, end_date=date(2026, 6, 30))
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(root / "exports"),
        }
    )
    result = run_nightly(settings, "2026-07-03")
    assert result.success
    yield root / "landing_truth", settings.warehouse_path, result


def test_pairwise_precision_and_recall_meet_the_targets(
    resolved: tuple[Path, Path, dg.ExecuteInProcessResult],
) -> None:
    quality = measure(resolved[0], resolved[1])
    assert (quality.identifiers, quality.true_pairs, quality.predicted_pairs) == (845, 1181, 1181)
    assert quality.correct_pairs == 1181
    assert quality.precision >= 0.995
    assert quality.recall >= 0.98


def test_every_badge_without_email_joins_its_person_by_fuzzy_matching(
    resolved: tuple[Path, Path, dg.ExecuteInProcessResult],
) -> None:
    with duckdb.connect(str(resolved[1]), read_only=True) as connection:
        badges = connection.execute(
            "select count(*) from staging.stg_booth__scans where email is null"
        ).fetchall()
        matched = connection.execute(
            "select count(*) from marts.lead_identities where list_contains(link_kinds, 'fuzzy')"
        ).fetchall()
    assert badges == [(7,)]
    assert matched == [(7,)]


def test_the_cluster_size_check_lists_the_largest_people(
    resolved: tuple[Path, Path, dg.ExecuteInProcessResult],
) -> None:
    (evaluation,) = [
        event.asset_check_evaluation_data
        for event in resolved[2].all_events
        if event.event_type_value == "ASSET_CHECK_EVALUATION"
        and event.asset_check_evaluation_data.check_name == "identity_cluster_sizes"
    ]
    with duckdb.connect(str(resolved[1]), read_only=True) as connection:
        (largest,) = connection.execute(
            "select max(identifiers) from (select count(distinct key_type || key_value) "
            "as identifiers from marts.lead_identities group by lead_id)"
        ).fetchone()
    assert evaluation.passed
    assert evaluation.metadata["oversized_clusters"].value == 0
    clusters = evaluation.metadata["largest_clusters"].value
    assert len(clusters) == 10
    assert clusters[0]["identifiers"] == largest
    assert [c["identifiers"] for c in clusters] == sorted(
        (c["identifiers"] for c in clusters), reverse=True
    )
