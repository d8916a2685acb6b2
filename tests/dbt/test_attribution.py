"""Attribution and score analytics in dbt on hand-built journeys, every credit by hand.

The warehouse is tests/dbt/warehouse_fixture.py's, as of 2026-06-30, plus (added here):
- Carol converts at 2026-06-20 10:00:00 (her earliest converted Lead version, on
  ConvertedDate); her won opportunity is worth 12,000. Added to her journey: an email open
  exactly 90 days before (2026-03-22 10:00:00, on the window's edge: in), one a microsecond
  earlier (out), and two opens at one instant (2026-06-18 08:00:00, ordered by touchpoint_id);
  after converting, a brochure download (2026-06-25).
- Erin (erin@dl.org) converts with no eligible touchpoint: her converted Lead version was
  written on 2026-06-26 08:00 but says ConvertedDate 2026-06-25, so she converts at the end
  of 2026-06-25; her only touchpoint is a sales call (never in a journey).
Between the two dbt runs the test runs the Markov/Shapley computation itself, as the asset
does, and writes its tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from test_dbt_build import lead_id, run_dbt
from warehouse_fixture import (
    LOAD_ID,
    build_warehouse,
    insert_email_events,
    insert_web_events,
    web_event,
    write_delivery_manifests,
)

from orchestration.attribution.models import ATTRIBUTION_TABLE_COLUMNS, attribute_journeys
from orchestration.report.sections import REPORT_QUERIES, ReportData, build_report
from orchestration.resources import WarehouseResource

CAROL, ERIN = "carol@finbank.com", "erin@dl.org"
VARS = "{as_of: 2026-06-30, quarantine_rate_max: 0.5}"
# naive UTC, as the warehouse stores timestamps
CAROL_CONVERTED_AT = datetime(2026, 6, 20, 10, 0, 0)  # noqa: DTZ001
ERIN_CONVERTED_AT = datetime(2026, 6, 25, 23, 59, 59, 999999)  # noqa: DTZ001


def touchpoint_id(source: str, record_id: str) -> str:
    return hashlib.md5(f"{source}:{record_id}".encode()).hexdigest()  # noqa: S324 - an id


def add_journeys(con: duckdb.DuckDBPyConnection) -> None:
    insert_email_events(
        con,
        [
            ("edge-in", CAROL, "open", "2026-03-22 10:00:00+00", None, False, 201),
            ("edge-out", CAROL, "open", "2026-03-22 09:59:59.999999+00", None, False, 202),
            ("tie-b", CAROL, "open", "2026-06-18 08:00:00+00", None, False, 203),
            ("tie-a", CAROL, "open", "2026-06-18 08:00:00+00", None, False, 204),
        ],
    )
    # after her conversion: in her score, never in her journey nor in rule lift
    insert_web_events(
        con,
        [
            web_event(
                301, "w-c-9", "track", "anon-c", "2026-06-25 09:00:00+00",
                event="Brochure Downloaded",
            )
        ],
    )  # fmt: skip
    con.executemany(
        "insert into raw_crm.leads values (?, ?, 'Erin', 'Diaz', 'DL', 'CTO', 'Software', 200, "
        "null, 'US', null, 'Web', 'Open', '005X', '2026-06-01 10:00:00+00', ?, ?, ?, ?, null, "
        "false, 'crm/leads/p2.json', ?, ?, ?)",
        [
            ("00Q000000000009", ERIN, "2026-06-01 10:00:00+00", False, None, None, 1, LOAD_ID,
             "le1"),
            ("00Q000000000009", ERIN, "2026-06-26 08:00:00+00", True, "2026-06-25", "006E", 2,
             LOAD_ID, "le2"),
        ],
    )  # fmt: skip
    con.execute(
        "insert into raw_crm.tasks values ('00T9', '00Q000000000009', 'Intro call', 'Call', 600, "
        "'2026-06-24', 'Completed', '2026-06-24 15:00:00+00', '2026-06-24 15:00:00+00', "
        "'crm/tasks/p2.json', 1, ?, 'k9')",
        [LOAD_ID],
    )


@dataclass(frozen=True)
class AttributionRun:
    warehouse: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    def credits(self, model: str, email: str = CAROL) -> dict[str, float]:
        rows = self.query(
            "select touchpoint_id, credit from marts.attribution_credits "  # noqa: S608
            f"where model = '{model}' and lead_id = '{lead_id(email)}'"
        )
        return {touchpoint: credit for touchpoint, credit in rows}


@pytest.fixture(scope="module")
def attribution(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AttributionRun]:
    work_dir = tmp_path_factory.mktemp("attribution")
    warehouse = work_dir / "warehouse.duckdb"
    build_warehouse(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        add_journeys(con)
        write_delivery_manifests(con)
    # models and seeds only (tests/dbt/test_dbt_build.py runs every test of the project)
    first = run_dbt(
        ["build", "--exclude", "source:attribution+", "--exclude-resource-type", "test",
         "--vars", VARS],
        warehouse,
        work_dir,
    )  # fmt: skip
    assert first.returncode == 0, (first.stdout + first.stderr)[-5000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        journeys = con.execute("select * from intermediate.int_attribution__journeys").df()
    result = attribute_journeys(journeys)
    frames = {
        "markov_shapley_credits": result.credits,
        "markov_removal_effects": result.removal_effects,
        "attribution_runs": journeys.head(0).assign(journeys=[], converting_journeys=[],
                                                    credit_rows=[], seconds=[]),
    }  # fmt: skip
    WarehouseResource(
        path=str(warehouse), dlt_pipelines_dir=str(work_dir)
    ).replace_tables_from_frames(
        "attribution",
        {table: (ATTRIBUTION_TABLE_COLUMNS[table], frame) for table, frame in frames.items()},
    )
    second = run_dbt(["build", "--select", "source:attribution+", "--vars", VARS], warehouse,
                     work_dir)  # fmt: skip
    assert second.returncode == 0, (second.stdout + second.stderr)[-5000:]
    yield AttributionRun(warehouse)


# Carol's journey by hand: (touchpoint, channel, days before converted_at), in journey order.
EDGE = touchpoint_id("email", "edge-in")
TIES = sorted([touchpoint_id("email", "tie-a"), touchpoint_id("email", "tie-b")])
PRICING_VIEW = touchpoint_id("web", "w-c-2")
CONTACT_FORM = touchpoint_id("web", "w-c-3")
CAROL_JOURNEY = [
    (EDGE, "email", 90.0),
    (PRICING_VIEW, "web", 5 + 1 / 24),  # 06-15 09:00
    (CONTACT_FORM, "web", 5 + 1 / 24 - 5 / 1440),  # 06-15 09:05
    (None, "support", 4.0),  # the ticket, 06-16 10:00
    (TIES[0], "email", 2 + 2 / 24),  # two opens at 06-18 08:00: touchpoint_id decides
    (TIES[1], "email", 2 + 2 / 24),
]


def test_converted_at_is_the_conversion_instant(attribution: AttributionRun) -> None:
    rows = dict(
        attribution.query(
            "select lead_id, converted_at from marts.lead_profiles where is_converted"
        )
    )
    # Carol: the converted version's LastModifiedDate falls on ConvertedDate; Erin's does not
    assert rows == {lead_id(CAROL): CAROL_CONVERTED_AT, lead_id(ERIN): ERIN_CONVERTED_AT}


def test_journey_window_edges_ties_and_sales(attribution: AttributionRun) -> None:
    rows = attribution.query(
        "select touchpoint_id, channel, days_before_end, touchpoint_rank "
        "from intermediate.int_attribution__journeys "
        f"where lead_id = '{lead_id(CAROL)}' order by touchpoint_rank"
    )
    assert [row[1] for row in rows] == [channel for _, channel, _ in CAROL_JOURNEY]
    for (touchpoint, _, days), (got, _, got_days, _) in zip(CAROL_JOURNEY, rows, strict=True):
        assert got_days == pytest.approx(days, abs=1e-9)
        if touchpoint is not None:
            assert got == touchpoint
    assert touchpoint_id("email", "edge-out") not in {row[0] for row in rows}
    # Erin converted with only a sales call: no journey, no credit, but counted as converted
    assert attribution.query(
        "select count(*) from marts.attribution_credits "
        f"where lead_id = '{lead_id(ERIN)}'"
    ) == [(0,)]  # fmt: skip
    assert attribution.query(
        "select leads, converted, won, revenue from marts.score_band_performance "
        "where segment_type = 'all'"
    ) == [(5, 2, 1, 12000.0)]  # the four people and the email-less badge, a lead of its own


def carol_ids(attribution: AttributionRun) -> list[str]:
    rows = attribution.query(
        "select touchpoint_id from intermediate.int_attribution__journeys "
        f"where lead_id = '{lead_id(CAROL)}' order by touchpoint_rank"
    )
    return [row[0] for row in rows]


def test_heuristic_credits_by_hand(attribution: AttributionRun) -> None:
    ids = carol_ids(attribution)
    weights = [0.5 ** (days / 7) for _, _, days in CAROL_JOURNEY]
    expected = {
        "first_touch": [1, 0, 0, 0, 0, 0],
        "last_touch": [0, 0, 0, 0, 0, 1],
        "linear": [1 / 6] * 6,
        "position_based": [0.4, 0.05, 0.05, 0.05, 0.05, 0.4],
        "time_decay": [weight / sum(weights) for weight in weights],
    }
    for model, credits in expected.items():
        got = attribution.credits(model)
        assert [got[touchpoint] for touchpoint in ids] == pytest.approx(credits, abs=1e-12), model


def test_markov_and_shapley_credits_by_hand(attribution: AttributionRun) -> None:
    # Paths: Carol email>web>support>email>conversion; Bob social>web>email>social>null;
    # Alice event>email>web>null. Solving the chain by hand: P(conversion) = 1/3; removal
    # effects email 1, web 1/2, support 6/19, social 1/4, event 3/7.
    effects = dict(
        attribution.query(
            "select channel, removal_effect from marts.channel_attribution where model = 'markov'"
        )
    )
    assert effects == pytest.approx(
        {"email": 1.0, "web": 0.5, "support": 6 / 19, "social": 0.25, "event": 3 / 7}, abs=1e-12
    )
    ids = carol_ids(attribution)
    total = 1 + 0.5 + 6 / 19
    email, web, support = 1 / total / 3, 0.5 / total / 2, 6 / 19 / total
    markov = attribution.credits("markov")
    assert [markov[t] for t in ids] == pytest.approx([email, web, web, support, email, email])
    # Shapley: only Carol's channel set {email, support, web} has a journey (rate 1); each
    # channel's marginal worth is 1 in the one order where it comes last: a third each.
    shapley = attribution.credits("shapley")
    thirds = [1 / 9, 1 / 6, 1 / 6, 1 / 3, 1 / 9, 1 / 9]
    assert [shapley[t] for t in ids] == pytest.approx(thirds, abs=1e-12)


def test_channel_attribution_sums_credits_and_revenue(attribution: AttributionRun) -> None:
    rows = attribution.query(
        "select channel, conversions, revenue, removal_effect from marts.channel_attribution "
        "where model = 'linear' order by channel"
    )
    assert [(channel, effect) for channel, _, _, effect in rows] == [
        ("email", None), ("support", None), ("web", None)
    ]  # fmt: skip
    assert [value for _, conversions, revenue, _ in rows for value in (conversions, revenue)] == (
        pytest.approx([0.5, 6000.0, 1 / 6, 2000.0, 1 / 3, 4000.0])
    )
    per_model = attribution.query(
        "select model, sum(conversions), sum(revenue) from marts.channel_attribution "
        "group by model order by model"
    )
    assert [row[0] for row in per_model] == sorted(
        ["first_touch", "last_touch", "linear", "position_based", "time_decay", "markov",
         "shapley"]
    )  # fmt: skip
    for _, conversions, revenue in per_model:  # one conversion with a journey, worth 12,000
        assert (conversions, revenue) == pytest.approx((1.0, 12000.0))


def test_rule_lift_counts_only_points_before_conversion(attribution: AttributionRun) -> None:
    rows = attribution.query(
        "select rule_id, leads_hit, converted, conversion_rate, base_rate, lift "
        "from marts.rule_lift where rule_id in ('pricing_page_view', 'brochure_download') "
        "order by rule_id"
    )
    # pricing views: Alice (not converted) and Carol (06-15, before converting); brochures:
    # Alice's, and Carol's download after converting does not count. Base rate: 2 converted
    # of 5 leads (the four people and the email-less badge, a lead of its own), so the
    # pricing views' lift is 0.5 / 0.4.
    assert [row[:3] for row in rows] == [("brochure_download", 1, 0), ("pricing_page_view", 2, 1)]
    assert [value for row in rows for value in row[3:]] == pytest.approx(
        [0.0, 0.4, 0.0, 0.5, 0.4, 1.25]
    )


@pytest.mark.parametrize("rows", ["all", "none"])
def test_report_builds_from_the_marts_even_when_they_are_empty(
    attribution: AttributionRun, rows: str
) -> None:
    limit = "" if rows == "all" else " limit 0"  # a first run on an empty landing zone
    with duckdb.connect(str(attribution.warehouse), read_only=True) as con:
        tables = {
            name: con.execute(f"select * from ({sql}){limit}").df()  # noqa: S608
            for name, sql in REPORT_QUERIES.items()
        }
    html = build_report(ReportData(as_of="2026-06-30", tables=tables))
    for section in ("conversion", "distribution", "attribution", "rules", "content"):
        assert f'<section id="{section}">' in html
    assert html.count('class="chart"') == 6
    if rows == "all":
        assert "$12k" in html  # Carol's won revenue among the key figures
