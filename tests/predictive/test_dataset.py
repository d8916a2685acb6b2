"""The point-in-time training set: labels by horizon, converted leads out, counts as zero."""

import pandas as pd

from orchestration.predictive.dataset import build_training_set, feature_matrix

CUTOFF = pd.Timestamp("2026-06-30")


def _rows(lead: str, converted_then: bool = False) -> list[dict[str, object]]:
    return [
        {"cutoff": CUTOFF, "lead_id": lead, "feature": "activity_pricing_page_view_7d",
         "numeric_value": 2.0, "text_value": None, "is_converted_at_as_of": converted_then},
        {"cutoff": CUTOFF, "lead_id": lead, "feature": "country", "numeric_value": None,
         "text_value": "DE", "is_converted_at_as_of": converted_then},
    ]  # fmt: skip


def test_label_is_conversion_after_the_cutoff_and_within_the_horizon() -> None:
    rows = [*_rows("a"), *_rows("b"), *_rows("c"), *_rows("d"), *_rows("done", True)]
    # a lead with no pricing view: its count is a missing row, i.e. zero
    rows.append({**_rows("e")[1]})
    conversions = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d", "done", "e"],
            "converted_at": pd.to_datetime(
                [
                    "2026-06-30 23:59:59",  # on the cutoff day: before the cutoff instant
                    "2026-07-01 00:00:00",  # just after
                    "2026-09-28 23:59:59",  # the last second of a 90-day horizon
                    "2026-09-29 00:00:01",  # after the horizon
                    "2026-06-01 00:00:00",
                    None,
                ]
            ),
        }
    )
    training = build_training_set(pd.DataFrame(rows), conversions, horizon_days=90)
    labels = training.labels.droplevel("cutoff").to_dict()
    assert labels == {"a": 0, "b": 1, "c": 1, "d": 0, "e": 0}  # "done" converted before: out
    assert training.converting_leads == 2
    assert training.features.loc[(CUTOFF, "e"), "activity_pricing_page_view_7d"] == 0.0


def test_excluding_a_feature_is_a_name_or_a_pattern() -> None:
    matrix = feature_matrix(pd.DataFrame(_rows("a")), excluded=["country"])
    assert list(matrix.columns) == ["activity_pricing_page_view_7d"]
    matrix = feature_matrix(pd.DataFrame(_rows("a")), excluded=["activity_*"])
    assert list(matrix.columns) == ["country"]
