"""Suite and threshold files: a broken file names its problem; the metadata preview masks people."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.assets.table_metadata import MASK, table_metadata
from quality.suites import SuiteError, load_suite
from quality.thresholds import ThresholdsError, load_thresholds


def test_a_suite_with_a_bad_expectation_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text(
        "asset: [marts, lead_scores]\ndescription: d\non_failure: f\n"
        "expectations:\n  - type: check_it\n"
    )
    with pytest.raises(SuiteError, match=r"broken.yml: expectations.0.type: String should match"):
        load_suite(path)


def test_thresholds_name_the_wrong_field(tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    path.write_text("volume: {mad_k: -1}\n")
    with pytest.raises(ThresholdsError, match=r"volume.mad_k: Input should be greater than 0"):
        load_thresholds(path)


def test_table_metadata_counts_types_and_masks_personal_columns() -> None:
    with duckdb.connect() as connection:
        connection.execute(
            "create schema marts; create table marts.lead_profiles as select * from (values "
            "('ld_1', 'ann@acme.io', 'Ann', true), ('ld_2', null, 'Bo', false)) "
            "as t(lead_id, email, first_name, is_converted)"
        )
        metadata = table_metadata(connection, "marts", "lead_profiles")
        missing = table_metadata(connection, "marts", "nope")
    assert metadata["dagster/row_count"] == 2
    assert [(c.name, c.type) for c in metadata["dagster/column_schema"].columns] == [
        ("lead_id", "VARCHAR"),
        ("email", "VARCHAR"),
        ("first_name", "VARCHAR"),
        ("is_converted", "BOOLEAN"),
    ]
    preview = metadata["preview"].value
    assert "ld_1" in preview and MASK in preview
    assert "ann@acme.io" not in preview and "Ann" not in preview
    assert metadata["converted_leads"] == 1.0
    assert missing == {}
