"""The predictive model on the end-to-end warehouse: leakage, the fallback, the scores' columns."""

from __future__ import annotations

from datetime import date

import pandas as pd
from pipeline_run import PipelineRun

from orchestration.predictive.model import LOGISTIC_BASELINE, ModelConfig, train
from orchestration.predictive.replay import FEATURE_MODELS, scratch_copy
from orchestration.predictive.training import TrainingPlan, point_in_time_training_set

CUTOFF = date(2026, 6, 20)
FEATURES_SQL = """
select lead_id, feature, numeric_value, text_value from marts.lead_features
order by lead_id, feature
"""
# a copy of one of the lead's touchpoints at another instant (a new id, same everything else)
COPY_TOUCHPOINT_SQL = """
insert into marts.touchpoints
select * replace ('copy-' || touchpoint_id as touchpoint_id, cast(? as timestamp) as occurred_at)
from marts.touchpoints where touchpoint_id = ?
"""
DELETE_COPY_SQL = "delete from marts.touchpoints where touchpoint_id like 'copy-%'"


def test_an_event_after_the_cutoff_changes_no_feature_and_one_before_does(
    pipeline_run: PipelineRun,
) -> None:
    with scratch_copy(pipeline_run.settings.warehouse_path) as scratch:
        scratch.run_models(FEATURE_MODELS, CUTOFF)
        before = scratch.frame(FEATURES_SQL)
        lead_id, touchpoint_id = scratch.frame(
            "select lead_id, touchpoint_id from marts.touchpoints "
            "where lead_id is not null and activity = 'pricing_page_view' "
            "and occurred_at < ? order by touchpoint_id limit 1",
            [f"{CUTOFF} 00:00:00"],
        ).iloc[0]
        with scratch.connect() as connection:
            # one second after the cutoff instant (the end of its day)
            connection.execute(COPY_TOUCHPOINT_SQL, [f"{CUTOFF} 23:59:59.999999", touchpoint_id])
            connection.execute(
                "update marts.touchpoints set occurred_at = occurred_at + interval 1 second "
                "where touchpoint_id like 'copy-%'"
            )
        scratch.run_models(FEATURE_MODELS, CUTOFF)
        pd.testing.assert_frame_equal(scratch.frame(FEATURES_SQL), before)

        with scratch.connect() as connection:
            connection.execute(DELETE_COPY_SQL)
            connection.execute(COPY_TOUCHPOINT_SQL, [f"{CUTOFF} 23:00:00", touchpoint_id])
        scratch.run_models(FEATURE_MODELS, CUTOFF)
        after = scratch.frame(FEATURES_SQL)
    changed = before.merge(after, on=["lead_id", "feature"], how="outer", suffixes=("", "_now"))
    changed = changed[
        changed["numeric_value"].fillna(-1) != changed["numeric_value_now"].fillna(-1)
    ]
    assert set(changed["lead_id"]) == {lead_id}
    assert {"activity_pricing_page_view_7d", "days_since_any_touch"} <= set(changed["feature"])
    pricing = changed.set_index("feature").loc["activity_pricing_page_view_7d"]
    assert (
        pricing["numeric_value_now"]
        == (pricing["numeric_value"] if pd.notna(pricing["numeric_value"]) else 0) + 1
    )


def test_below_the_minimum_of_conversions_the_model_falls_back(
    pipeline_run: PipelineRun,
) -> None:
    plan = TrainingPlan(
        cutoff_count=2, spacing_days=7, config=ModelConfig(horizon_days=7, min_conversions=120)
    )
    training, profiles = point_in_time_training_set(
        pipeline_run.settings.warehouse_path, date(2026, 7, 3), plan
    )
    assert [c.date() for c in training.cutoffs] == [date(2026, 6, 19), date(2026, 6, 26)]
    # the labels are the profiles' conversions within 7 days after each cutoff
    converted = pd.to_datetime(profiles.set_index("lead_id")["converted_at"])
    for (cutoff, lead_id), label in training.labels.items():
        instant = cutoff + pd.Timedelta(days=1)
        when = converted.get(lead_id)
        expected = pd.notna(when) and instant <= when < instant + pd.Timedelta(days=7)
        assert label == int(expected), (cutoff, lead_id)
    model = train(training, plan.config)
    assert training.converting_leads < 120
    assert model.kind == LOGISTIC_BASELINE and not model.is_trusted
    assert f"{training.converting_leads} conversions, fewer than the minimum of 120" in model.reason


def test_every_lead_score_carries_the_models_columns(pipeline_run: PipelineRun) -> None:
    # the e2e history (30 days) is shorter than the 90-day horizon: no cutoff, no model
    rows = pipeline_run.query(
        "select count(*), count(distinct scores.model_version), max(scores.model_version), "
        "count(scores.conversion_probability), max(predictions.model_kind) "
        "from marts.lead_scores as scores "
        "left join predictive.lead_predictions as predictions using (lead_id)"
    )
    leads = pipeline_run.query("select count(*) from marts.lead_profiles")[0][0]
    assert rows == [(leads, 1, "rules-only", 0, "rules_only")]
    metrics = pipeline_run.query(
        "select model_version, is_trusted, cutoffs from marts.model_metrics"
    )
    assert metrics == [("rules-only", False, "")]
