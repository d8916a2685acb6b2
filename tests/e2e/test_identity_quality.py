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
from quality.identity_resolution import (
    measure,
    measure_reach,
    person_leads,
    truth_identifiers,
)

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
    # the universe is the truth's identifiers the pipeline saw (the generator's identity gaps
    # included): most of them, with every true pair counted from the truth
    assert quality.identifiers >= 500  # 300 people, ~3 identifiers each
    assert quality.true_pairs > quality.identifiers
    assert quality.precision >= 0.995
    assert quality.recall >= 0.99


def test_records_of_a_person_carry_the_persons_lead_id(
    resolved: tuple[Path, Path, dg.ExecuteInProcessResult],
) -> None:
    reach = measure_reach(resolved[0], resolved[1])
    assert reach["touchpoints"].total > 1000
    assert reach["touchpoints"].rate >= 0.995
    # records naming a person without a usable email (no address or a role address): every
    # kind the generator writes is there, and they reach their person by fuzzy matching
    assert {name for name in reach if name.startswith("emailless ")} >= {
        "emailless booth_scan",
        "emailless salesforce_lead_id",
        "emailless zendesk_user_id",
    }
    assert reach["emailless (all)"].rate >= 0.9


def test_every_badge_without_email_joins_its_person_by_fuzzy_matching(
    resolved: tuple[Path, Path, dg.ExecuteInProcessResult],
) -> None:
    truth = truth_identifiers(resolved[0])
    with duckdb.connect(str(resolved[1]), read_only=True) as connection:
        badges = connection.execute(
            "select scan_id from staging.stg_booth__scans where email is null"
        ).fetchall()
        leads = {
            (kind, value): lead
            for kind, value, lead in connection.execute(
                "select key_type, key_value, lead_id from intermediate.int_identity__key_leads"
            ).fetchall()
        }
    people = person_leads(truth, leads)  # each person's lead: that of their email keys
    known = [scan for (scan,) in badges if truth.get(("booth_scan", scan)) in people]
    assert known
    for scan in known:
        assert leads[("booth_scan", scan)] == people[truth[("booth_scan", scan)]], scan


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
