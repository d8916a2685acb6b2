"""Attribution on the end-to-end run against an independent implementation of the output
contract's readings: journeys, the conversion instant, the heuristics (here, in Python) and
Markov/Shapley (tests/attribution_reference.py), to 1e-6 per touchpoint and per channel."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from attribution_reference import Journey, markov_credits, removal_effects, shapley_credits
from pipeline_run import AS_OF, PipelineRun

WINDOW = timedelta(days=90)
HEURISTICS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")


def conversion_instants(run: PipelineRun) -> dict[str, datetime]:
    """Per person: the earliest conversion instant of their Salesforce Leads, read from the
    raw Lead versions loaded up to as-of (the contract's reading, written independently)."""
    as_of = f"{AS_OF} 23:59:59.999999"
    versions = run.query(
        "select id, cast(last_modified_date as timestamp), is_converted, converted_date "
        "from raw_crm.leads where cast(last_modified_date as timestamp) <= cast(? as timestamp) "
        "order by id, last_modified_date",
        [as_of],
    )
    latest: dict[str, bool] = {}
    first_converted: dict[str, tuple[datetime, object]] = {}
    for lead, modified, converted, converted_date in versions:
        latest[lead] = bool(converted)
        if converted and lead not in first_converted:
            first_converted[lead] = (modified, converted_date)
    owners = dict(
        run.query(
            "select key_value, lead_id from marts.lead_identities "
            "where key_type = 'salesforce_lead_id'"
        )
    )
    instants: dict[str, datetime] = {}
    for lead, (modified, converted_date) in first_converted.items():
        if not latest[lead] or lead not in owners:
            continue
        if modified.date() == converted_date:
            instant = modified
        else:
            instant = datetime.combine(converted_date, datetime.max.time())
        person = owners[lead]
        instants[person] = min(instant, instants.get(person, instant))
    return instants


def journeys(run: PipelineRun) -> tuple[list[Journey], dict[str, list[tuple[str, float]]]]:
    """Every journey (converting by lead id, non-converting), and per conversion its
    touchpoints' days before converting, in journey order."""
    instants = conversion_instants(run)
    end_of_as_of = datetime.fromisoformat(f"{AS_OF}T23:59:59.999999")
    profiles = [row[0] for row in run.query("select lead_id from marts.lead_profiles")]
    touchpoints: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    for lead, touchpoint, channel, at in run.query(
        "select lead_id, touchpoint_id, channel, occurred_at from marts.touchpoints "
        "where lead_id is not null and channel <> 'sales'"
    ):
        touchpoints[lead].append((at, touchpoint, channel))
    converted = {
        row[0] for row in run.query("select lead_id from marts.lead_profiles where is_converted")
    }
    result: list[Journey] = []
    days: dict[str, list[tuple[str, float]]] = {}
    for lead in profiles:
        end = instants.get(lead, end_of_as_of)
        if lead in converted and lead not in instants:
            continue
        window = sorted(tp for tp in touchpoints[lead] if end - WINDOW <= tp[0] <= end)
        if not window:
            continue
        result.append((lead, lead in converted, [(tp, channel) for _, tp, channel in window]))
        if lead in converted:
            days[lead] = [(tp, (end - at).total_seconds() / 86400) for at, tp, _ in window]
    return result, days


def heuristic_credits(touchpoint_days: list[tuple[str, float]], model: str) -> list[float]:
    count = len(touchpoint_days)
    if model == "first_touch":
        return [1.0 if rank == 0 else 0.0 for rank in range(count)]
    if model == "last_touch":
        return [1.0 if rank == count - 1 else 0.0 for rank in range(count)]
    if model == "linear":
        return [1 / count] * count
    if model == "position_based":
        if count <= 2:
            return [1 / count] * count
        return [0.4 if rank in (0, count - 1) else 0.2 / (count - 2) for rank in range(count)]
    weights = [0.5 ** (days / 7) for _, days in touchpoint_days]
    return [weight / sum(weights) for weight in weights]


@pytest.fixture(scope="module")
def reference(pipeline_run: PipelineRun) -> tuple[list[Journey], dict[str, list]]:
    assert pipeline_run.result.success
    return journeys(pipeline_run)


def warehouse_credits(run: PipelineRun, model: str) -> dict[tuple[str, str], float]:
    rows = run.query(
        "select lead_id, touchpoint_id, credit from marts.attribution_credits where model = ?",
        [model],
    )
    return {(lead, touchpoint): credit for lead, touchpoint, credit in rows}


def test_conversion_instant_follows_the_contract(pipeline_run: PipelineRun) -> None:
    expected = conversion_instants(pipeline_run)
    got = dict(
        pipeline_run.query(
            "select lead_id, converted_at from marts.lead_profiles where is_converted"
        )
    )
    assert expected
    assert got == expected


def test_heuristics_agree_with_an_independent_implementation(
    pipeline_run: PipelineRun, reference: tuple[list[Journey], dict[str, list]]
) -> None:
    journey_list, days = reference
    channels = {tp: channel for _, _, tps in journey_list for tp, channel in tps}
    assert days, "the run has converting journeys"
    for model in HEURISTICS:
        expected = {
            (lead, touchpoint): credit
            for lead, touchpoint_days in days.items()
            for (touchpoint, _), credit in zip(
                touchpoint_days, heuristic_credits(touchpoint_days, model), strict=True
            )
        }
        got = warehouse_credits(pipeline_run, model)
        assert got.keys() == expected.keys(), model
        assert got == pytest.approx(expected, abs=1e-6), model
        per_channel: dict[str, float] = defaultdict(float)
        for (_, touchpoint), credit in expected.items():
            per_channel[channels[touchpoint]] += credit
        table = dict(
            pipeline_run.query(
                "select channel, conversions from marts.channel_attribution where model = ?",
                [model],
            )
        )
        assert table == pytest.approx(dict(per_channel), abs=1e-6), model


def test_markov_and_shapley_agree_with_brute_force(
    pipeline_run: PipelineRun, reference: tuple[list[Journey], dict[str, list]]
) -> None:
    journey_list, _ = reference
    effects = dict(
        pipeline_run.query(
            "select channel, removal_effect from marts.channel_attribution where model = 'markov'"
        )
    )
    assert effects == pytest.approx(removal_effects(journey_list), abs=1e-6)
    for model, implementation in (("markov", markov_credits), ("shapley", shapley_credits)):
        expected = implementation(journey_list)
        got = warehouse_credits(pipeline_run, model)
        assert got.keys() == expected.keys(), model
        assert got == pytest.approx(expected, abs=1e-6), model


def test_every_model_credits_each_conversion_once(pipeline_run: PipelineRun) -> None:
    rows = pipeline_run.query(
        "select model, count(distinct conversion_id), max(abs(total - 1)) from ("
        "  select model, conversion_id, sum(credit) as total from marts.attribution_credits"
        "  group by model, conversion_id) group by model order by model"
    )
    assert len(rows) == 7
    assert len({conversions for _, conversions, _ in rows}) == 1
    assert max(error for _, _, error in rows) < 1e-9


def test_score_band_performance_counts_every_conversion(pipeline_run: PipelineRun) -> None:
    converted = pipeline_run.query(
        "select count(*) filter (where is_converted), count(*) from marts.lead_profiles"
    )[0]
    segments = pipeline_run.query(
        "select segment_type, sum(converted), sum(leads) from marts.score_band_performance "
        "group by segment_type order by segment_type"
    )
    # every segmentation covers every lead once, converted ones included (with or without
    # an eligible touchpoint)
    assert segments == [(kind, *converted) for kind in ("all", "band", "grid_cell", "score_decile")]
