"""End to end: a generated dirty landing zone through dlt, dbt and Dagster, against its truth."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest
from pipeline_run import AS_OF, PipelineRun

from quality.thresholds import load_thresholds

# Staging model holding the latest unique version of each ground-truth (source, entity).
STAGING_MODEL = {
    ("web", "event"): "stg_web__events",
    ("email", "event"): "stg_email__events",
    ("support", "ticket"): "stg_support__tickets",
    ("support", "user"): "stg_support__users",
    ("social", "form"): "stg_social__forms",
    ("social", "response"): "stg_social__responses",
    ("social", "reaction"): "stg_social__reactions",
    ("social", "comment"): "stg_social__comments",
    ("booth", "scan"): "stg_booth__scans",
    ("crm", "lead"): "stg_crm__leads",
    ("crm", "opportunity"): "stg_crm__opportunities",
    ("crm", "task"): "stg_crm__tasks",
}
# seed_rules.yml restated: the oracle for hand-computed scores.
SEED_POINTS = {
    "pricing_page_view": 10,
    "brochure_download": 5,
    "contact_form": 15,
    "chat_started": 8,
}
LONG_SESSION_POINTS, SESSION_GAP, LONG_SESSION = 3, timedelta(minutes=30), timedelta(minutes=5)
AS_OF_END = datetime.fromisoformat(AS_OF) + timedelta(days=1)


def test_run_succeeds_with_every_check_passing(pipeline_run: PipelineRun) -> None:
    checks = [
        event.asset_check_evaluation_data
        for event in pipeline_run.result.all_events
        if event.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    assert pipeline_run.result.success
    assert len(checks) > 50  # dbt tests arrive as asset checks
    # as-of is 3 days after the last file: only the feeds silent past their limit may warn
    assert sorted(c.check_name for c in checks if not c.passed) == [
        f"{source}_is_fresh" for source in stale_sources_by_truth(pipeline_run)
    ]


def stale_sources_by_truth(pipeline_run: PipelineRun) -> list[str]:
    """Monitored sources whose newest true event is older than their limit at as-of."""
    newest: dict[str, datetime] = {}
    for touchpoint in pipeline_run.truth("touchpoints.csv"):
        at = datetime.fromisoformat(touchpoint["occurred_at"]).replace(tzinfo=None)
        if at < AS_OF_END:
            newest[touchpoint["source"]] = max(at, newest.get(touchpoint["source"], at))
    limits = load_thresholds().monitored_sources()
    return sorted(
        source
        for source, hours in limits.items()
        if source not in newest or (AS_OF_END - newest[source]) > timedelta(hours=hours)
    )


def test_rows_per_source_after_dedupe_match_the_ground_truth(pipeline_run: PipelineRun) -> None:
    expected = Counter(
        (row["source"], row["entity"])
        for row in pipeline_run.truth("records.csv")
        if row["expected"] == "loaded"
    )
    actual = {
        key: pipeline_run.query(f"select count(*) from staging.{model}")[0][0]  # noqa: S608
        for key, model in STAGING_MODEL.items()
    }
    assert actual == {key: expected[key] for key in STAGING_MODEL}
    assert expected[("web", "event")] > 1000


def test_every_quarantined_row_is_in_quarantine(pipeline_run: PipelineRun) -> None:
    expected = Counter(
        row["source"]
        for row in pipeline_run.truth("records.csv")
        if row["expected"] == "quarantined"
    )
    actual = dict(
        pipeline_run.query("select source, count(*) from quarantine.quarantine group by 1")
    )
    assert actual == dict(expected)
    assert sum(expected.values()) > 10


def test_engagement_scores_equal_a_hand_computation_from_the_events(
    pipeline_run: PipelineRun,
) -> None:
    people = {p["person_id"]: p for p in pipeline_run.truth("people.csv")}
    cookies: dict[str, set[str]] = defaultdict(set)
    for identifier in pipeline_run.truth("identifiers.csv"):
        if identifier["key_type"] == "anonymous_id":
            cookies[identifier["person_id"]].add(identifier["key_value"])
    cookie_email = dict(
        pipeline_run.query(
            "select distinct identities.key_value, profiles.email "
            "from marts.lead_identities as identities "
            "inner join marts.lead_profiles as profiles on identities.lead_id = profiles.lead_id "
            "where identities.key_type = 'anonymous_id'"
        )
    )
    touchpoints: dict[str, list[dict[str, str]]] = defaultdict(list)
    for touchpoint in pipeline_run.truth("touchpoints.csv"):
        touchpoints[touchpoint["person_id"]].append(touchpoint)
    scores = dict(
        pipeline_run.query(
            "select p.email, s.engagement_score from marts.lead_scores as s "
            "inner join marts.lead_profiles as p on p.lead_id = s.lead_id"
        )
    )

    checked = Counter()
    for person_id, person in people.items():
        email = person["email"]
        # Score only people whose every cookie the pipeline tied to them (an identify call
        # was delivered for it).
        if person["is_test"] == "True" or not email or email not in scores:
            continue
        if any(cookie_email.get(cookie) != email for cookie in cookies[person_id]):
            continue
        assert scores[email] == pytest.approx(hand_score(touchpoints[person_id]), abs=0.005), email
        checked["people"] += 1
        checked["scored"] += scores[email] > 0
    assert checked["people"] >= 20
    assert checked["scored"] >= 10


def hand_score(touchpoints: list[dict[str, str]]) -> float:
    """Seed points per activity plus 3 per web session longer than 5 minutes, up to as-of."""
    in_window = [
        t for t in touchpoints if datetime.fromisoformat(t["occurred_at"]).replace(tzinfo=None)
        < AS_OF_END
    ]  # fmt: skip
    score = sum(SEED_POINTS.get(t["activity"], 0) for t in in_window)
    by_cookie: dict[str, list[datetime]] = defaultdict(list)
    for t in in_window:
        if t["source"] == "web" and t["anonymous_id"]:
            by_cookie[t["anonymous_id"]].append(datetime.fromisoformat(t["occurred_at"]))
    for times in by_cookie.values():
        times.sort()
        start = previous = times[0]
        for moment in [*times[1:], None]:
            if moment is None or moment - previous > SESSION_GAP:
                score += LONG_SESSION_POINTS if previous - start > LONG_SESSION else 0
                start = moment
            previous = moment or previous
    return score


def test_rerun_without_new_files_changes_nothing(pipeline_run: PipelineRun) -> None:
    from orchestration.runner import run_nightly

    tables = [
        "raw_web.events", "raw_email.events", "raw_crm.leads", "staging.stg_web__events",
        "marts.touchpoints", "marts.lead_profiles", "marts.score_ledger", "marts.lead_scores",
        "quarantine.quarantine",
    ]  # fmt: skip
    snapshot_sql = " union all ".join(
        f"select '{table}', count(*), sum(hash(t)) from {table} as t" for table in tables
    )
    before = pipeline_run.query(snapshot_sql)
    second = run_nightly(pipeline_run.settings, AS_OF)
    assert second.success
    assert pipeline_run.query(snapshot_sql) == before


def test_every_mart_is_exported_to_parquet_with_its_rows(pipeline_run: PipelineRun) -> None:
    marts = [
        name for (name,) in pipeline_run.query(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by 1"
        )
    ]  # fmt: skip
    exports = pipeline_run.settings.export_dir
    assert sorted(p.name for p in exports.iterdir()) == [f"{name}.parquet" for name in marts]
    for name in marts:
        exported = pipeline_run.query(
            "select count(*) from read_parquet(?)", [str(exports / f"{name}.parquet")]
        )
        assert exported == pipeline_run.query(f"select count(*) from marts.{name}")  # noqa: S608
    assert "lead_scores" in marts


def test_ingestion_audit_balances_against_the_ground_truth(pipeline_run: PipelineRun) -> None:
    truth = Counter()
    for row in pipeline_run.truth("records.csv"):
        truth[(row["source"], row["expected"])] += 1
    audit = {
        source: (delivered, loaded, deduplicated, quarantined, filtered)
        for source, delivered, loaded, deduplicated, quarantined, filtered in pipeline_run.query(
            "select source, sum(delivered), sum(loaded), sum(deduplicated), sum(quarantined), "
            "sum(filtered) from marts.ingestion_audit group by source"
        )
    }
    assert sorted(audit) == ["booth", "crm", "email", "social", "support", "web"]
    for source, (delivered, loaded, deduplicated, quarantined, filtered) in audit.items():
        assert delivered == sum(n for (s, _), n in truth.items() if s == source), source
        assert delivered == loaded + deduplicated + quarantined + filtered, source
        assert (quarantined, filtered) == (
            truth[(source, "quarantined")],
            truth[(source, "filtered")],
        ), source
        # raw tables keep every version; the truth splits them into loaded and superseded
        assert loaded + deduplicated == sum(
            truth[(source, kind)] for kind in ("loaded", "duplicate", "superseded")
        ), source
