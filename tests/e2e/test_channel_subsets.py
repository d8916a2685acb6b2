"""Any channel mix runs end to end: each channel alone, every channel missing once, an empty
landing zone, and CRM from an API whose Opportunity query returns zero records.

One small generated landing zone (25 people, 10 days); each case copies the channel folders it
keeps into its own landing zone and runs the whole nightly job into its own warehouse. The
marts must hold exactly the ground truth's touchpoints of the channels present, the tables of
the missing channels must exist and be empty, and the only failing
checks are the warnings of absent or silent sources.

Every case (14 runs, ~50 s each on 2 cores) is marked `channel_matrix` (`make
test-channels`): they do not fit in `make test`'s 15 minutes.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from api_harness import FAST_RETRIES

from ingestion.generator import generate_landing_zone
from ingestion.sources import CHANNELS
from orchestration.cli import failed_checks
from orchestration.runner import run_nightly
from orchestration.settings import load_settings
from quality.suites import load_suites
from quality.thresholds import load_thresholds
from testing.fake_apis import serve_fake_apis

END_DATE = date(2026, 6, 30)
AS_OF = "2026-07-03"  # after every clock-skewed event, as the main e2e test
AS_OF_END = "2026-07-04"
MARTS_EXPORTED = ("lead_scores", "lead_profiles", "lead_identities", "touchpoints")


@dataclass(frozen=True)
class Zone:
    landing: Path
    truth_dir: Path

    def truth_rows(self, channels: tuple[str, ...]) -> dict[str, list[dict[str, str]]]:
        """source -> the truth's touchpoints of `channels` up to as-of."""
        wanted: dict[str, list[dict[str, str]]] = defaultdict(list)
        with (self.truth_dir / "touchpoints.csv").open(newline="", encoding="utf-8") as file:
            for row in csv.DictReader(file):
                if row["source"] in channels and row["occurred_at"] < AS_OF_END:
                    wanted[row["source"]].append(row)
        return dict(wanted)

    def truth_touchpoints(self, channels: tuple[str, ...]) -> dict[str, set[str]]:
        """source -> source_record_ids of the truth's touchpoints up to as-of."""
        return {
            source: {row["source_record_id"] for row in rows}
            for source, rows in self.truth_rows(channels).items()
        }


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> Zone:
    root = tmp_path_factory.mktemp("channels")
    generate_landing_zone(root / "landing", leads=25, days=10, seed=3, end_date=END_DATE)
    return Zone(root / "landing", root / "landing_truth")


def run_with(
    zone: Zone, tmp_path: Path, channels: tuple[str, ...], from_apis: tuple[str, ...] = ()
) -> Path:
    """Copy `channels`' folders into a landing zone of their own and run the nightly job
    (`from_apis`: channels a fake API serves meanwhile)."""
    landing = tmp_path / "landing"
    landing.mkdir()
    for channel in channels:
        shutil.copytree(zone.landing / channel, landing / channel)
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(tmp_path / "exports"),
        }
    )
    result = run_nightly(settings, AS_OF)
    assert result.success
    failed = failed_checks(result)
    assert all(check.severity == dg.AssetCheckSeverity.WARN for check in failed)
    present = channels + from_apis
    assert sorted(check.check_name for check in failed) == expected_warnings(zone, present)
    return settings.warehouse_path


def expected_warnings(zone: Zone, present: tuple[str, ...]) -> list[str]:
    """The warnings a run must raise, and no others: a raw suite of every absent channel (its
    table got no rows) and the freshness of every monitored source silent past its limit at
    as-of, by the ground truth (absent sources included)."""
    absent = {channel for channel in CHANNELS if channel not in present}
    empty_raw_suites = [
        suite.check_name for suite in load_suites() if suite.asset[0].removeprefix("raw_") in absent
    ]
    newest = {
        source: max(datetime.fromisoformat(row["occurred_at"]).replace(tzinfo=None) for row in rows)
        for source, rows in zone.truth_rows(present).items()
    }
    as_of_end = datetime.fromisoformat(AS_OF_END)
    stale = [
        f"{source}_is_fresh"
        for source, hours in load_thresholds().monitored_sources().items()
        if source not in newest or as_of_end - newest[source] > timedelta(hours=hours)
    ]
    return sorted(empty_raw_suites + stale)


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def assert_marts_hold_what_arrived(zone: Zone, warehouse: Path, present: tuple[str, ...]) -> None:
    got: dict[str, set[str]] = defaultdict(set)
    touchpoints_sql = "select source, source_record_id from marts.touchpoints"
    for source, record_id in query(warehouse, touchpoints_sql):
        got[source].add(record_id)
    assert dict(got) == zone.truth_touchpoints(present)
    for channel in set(CHANNELS) - set(present):
        tables = query(
            warehouse,
            "select table_name from information_schema.tables "
            f"where table_schema = 'raw_{channel}' and table_name not like '\\_dlt%' escape '\\'",
        )
        assert tables, f"raw_{channel} has no tables"
        for (table,) in tables:
            assert query(warehouse, f"select count(*) from raw_{channel}.{table}") == [(0,)]
    (leads,) = query(warehouse, "select count(*) from marts.lead_profiles")[0]
    assert query(warehouse, "select count(*) from marts.lead_scores") == [(leads,)]
    exports = warehouse.parent / "exports"
    for mart in MARTS_EXPORTED:
        (exported,) = query(warehouse, f"select count(*) from '{exports / mart}.parquet'")[0]
        assert (exported,) == query(warehouse, f"select count(*) from marts.{mart}")[0]


@pytest.mark.channel_matrix
def test_an_empty_landing_zone_runs_to_empty_marts(zone: Zone, tmp_path: Path) -> None:
    warehouse = run_with(zone, tmp_path, ())
    assert_marts_hold_what_arrived(zone, warehouse, ())
    assert query(warehouse, "select count(*) from marts.lead_profiles") == [(0,)]


@pytest.mark.channel_matrix
def test_web_and_crm_from_an_api_with_zero_opportunities(
    zone: Zone, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_fake_apis(zone.landing) as apis:
        # Salesforce's answer for a company without opportunities yet
        apis.salesforce.api.pages["Opportunity"] = []
        for name, value in {**apis.dlt_environment(), **FAST_RETRIES}.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("SOURCES__ZENDESK__BASE_URL")  # support stays in files mode (none)
        warehouse = run_with(zone, tmp_path, ("web",), from_apis=("crm",))
        opportunity_answers = [
            request
            for request in apis.salesforce.requests
            if "FROM Opportunity" in request.params.get("q", "")
        ]
    assert [request.records for request in opportunity_answers] == [0]
    assert query(warehouse, "select count(*) from raw_crm.opportunities") == [(0,)]
    assert_marts_hold_what_arrived(zone, warehouse, ("web", "crm"))
    assert query(warehouse, "select count(*) from marts.lead_profiles where is_won") == [(0,)]


@pytest.mark.channel_matrix
@pytest.mark.parametrize("channel", CHANNELS)
def test_each_channel_alone(zone: Zone, tmp_path: Path, channel: str) -> None:
    warehouse = run_with(zone, tmp_path, (channel,))
    assert_marts_hold_what_arrived(zone, warehouse, (channel,))


@pytest.mark.channel_matrix
@pytest.mark.parametrize("missing", CHANNELS)
def test_every_channel_missing_once(zone: Zone, tmp_path: Path, missing: str) -> None:
    present = tuple(channel for channel in CHANNELS if channel != missing)
    warehouse = run_with(zone, tmp_path, present)
    assert_marts_hold_what_arrived(zone, warehouse, present)


@pytest.fixture(autouse=True)
def _no_api_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Files mode unless a test configures a fake API."""
    for name in ("SOURCES__ZENDESK__BASE_URL", "SOURCES__SALESFORCE__BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield
