"""Schema contracts: vendor extras are harmless, wrong types never coerce, late rows load."""

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import dlt
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from raw_load import RawLoad

from ingestion.parsing.tables import TableSpec
from ingestion.plumbing import marked

EVENT = {
    "type": "page",
    "anonymousId": "anon-1",
    "timestamp": "2026-06-10T10:00:00Z",
    "properties": {"path": "/pricing"},
}


def land_web(landing_dir: Path, day: str, events: list[dict]) -> None:
    folder = landing_dir / "web" / day
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(event) + "\n" for event in events)
    (folder / "part-0001.jsonl.gz").write_bytes(gzip.compress(lines.encode()))


@pytest.fixture
def web(channel_run: Callable[[str], RawLoad], tmp_path: Path) -> RawLoad:
    run = channel_run("web")
    for fixture in run.landing_dir.rglob("*.jsonl"):
        fixture.unlink()  # start from an empty landing zone
    return run


def test_fields_beyond_the_contract_load_without_new_columns(web: RawLoad) -> None:
    land_web(web.landing_dir, "2026-06-10", [
        EVENT | {"messageId": "m-1"},
        EVENT | {"messageId": "m-2", "integrations": {"All": True}, "newVendorField": [1, 2]},
    ])  # fmt: skip
    web.run()
    assert web.counts() == {"events": 2, "events_rejected": 0}
    columns = {name for (name,) in web.rows(
        "select column_name from information_schema.columns where table_name = 'events' "
        "and table_schema = 'raw_web'"
    )}  # fmt: skip
    assert not {c for c in columns if "integrations" in c or "vendor" in c}


def test_a_wrong_type_is_quarantined_never_coerced(web: RawLoad) -> None:
    land_web(web.landing_dir, "2026-06-10", [
        EVENT | {"messageId": "m-1", "timestamp": "yesterday"},
        EVENT | {"messageId": "m-2", "traits": {"company": {"employee_count": "many"}},
                 "type": "identify"},
        EVENT | {"messageId": "m-3"},
    ])  # fmt: skip
    web.run()
    assert web.counts() == {"events": 1, "events_rejected": 2}
    assert [row[2:] for row in web.rejected("events_rejected")] == [
        (1, "quarantined", "wrong_type: timestamp not ISO-8601"),
        (2, "quarantined", "wrong_type: traits.company.employee_count not an integer"),
    ]


def test_late_rows_are_picked_up_by_the_next_run(web: RawLoad) -> None:
    land_web(web.landing_dir, "2026-06-10", [EVENT | {"messageId": "m-1"}])
    web.run()
    # a file landing on the 12th carries an event from the 3rd
    late = EVENT | {"messageId": "m-late", "timestamp": "2026-06-03T08:00:00Z"}
    land_web(web.landing_dir, "2026-06-12", [late])
    web.run()
    assert web.rows("select message_id, cast(timestamp as varchar) from raw_web.events "
                    "order by 1") == [
        ("m-1", "2026-06-10 10:00:00+00"),
        ("m-late", "2026-06-03 08:00:00+00"),
    ]  # fmt: skip


SCORES = TableSpec("scores", ("id",), {"id": "text", "points": "bigint"})


def load(pipeline: dlt.Pipeline, rows: list[dict]) -> None:
    def batches() -> Iterator[object]:
        yield marked(SCORES, rows)

    pipeline.run(dlt.resource(batches, name="scores"))


def test_the_contract_evolves_columns_and_fails_a_type_change_readably(tmp_path: Path) -> None:
    pipeline = dlt.pipeline(
        "contract", destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
        dataset_name="raw_test", pipelines_dir=str(tmp_path / "pl"),
    )  # fmt: skip
    load(pipeline, [{"id": "a", "points": 1}])
    load(pipeline, [{"id": "b", "points": 2, "campaign": "spring"}])  # a new column evolves
    with pipeline.sql_client() as client:
        assert client.execute_sql(
            "select id, points, campaign from raw_test.scores order by 1"
        ) == [
            ("a", 1, None),
            ("b", 2, "spring"),
        ]
    with pytest.raises(PipelineStepFailed) as failure:
        load(pipeline, [{"id": "c", "points": "many"}])  # text into BIGINT: never a variant column
    assert "points" in str(failure.value)
    assert "frozen" in str(failure.value)
    pipeline.abort_packages()
    with pipeline.sql_client() as client:
        assert client.execute_sql("select count(*) from raw_test.scores") == [(2,)]
