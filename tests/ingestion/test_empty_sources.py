"""Nothing arrived: every declared raw table still exists, typed and empty.

A channel folder that is missing or holds no file, and a Salesforce query answering
`{"totalSize": 0, "done": true, "records": []}`, create the same tables as a real load
(`materialize_table_schema` with the column hints), and a rerun with nothing new loads nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
import pytest
from raw_load import RawLoad

from ingestion.sources import CHANNEL_SOURCES
from testing.fake_apis import FakeApis

# Every table a channel writes, listed by hand (the channel modules declare them).
EXPECTED_TABLES = {
    "web": ["events", "events_deliveries", "events_rejected"],
    "email": ["events", "events_deliveries", "events_rejected"],
    "support": ["tickets", "tickets_deliveries", "tickets_rejected", "users"],
    "social": [
        "comments", "comments_deliveries", "comments_rejected", "form_questions", "forms",
        "forms_deliveries", "forms_rejected", "reactions", "reactions_deliveries",
        "reactions_rejected", "response_answers", "responses", "responses_deliveries",
        "responses_rejected",
    ],
    "booth": ["scans", "scans_deliveries", "scans_rejected"],
    "crm": [
        "leads", "leads_deliveries", "leads_rejected", "opportunities",
        "opportunities_deliveries", "opportunities_rejected", "tasks", "tasks_deliveries",
        "tasks_rejected",
    ],
}  # fmt: skip
TABLES_SQL = (
    "select table_name from information_schema.tables where table_schema = '{dataset}' "
    "and table_name not like '\\_dlt%' escape '\\' order by 1"
)


def rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple[Any, ...]]:
    with pipeline.sql_client() as client:
        return [tuple(row) for row in client.execute_sql(sql)]


def table_counts(pipeline: dlt.Pipeline, dataset: str) -> dict[str, int]:
    tables = [name for (name,) in rows(pipeline, TABLES_SQL.format(dataset=dataset))]
    return {name: rows(pipeline, f"select count(*) from {dataset}.{name}")[0][0] for name in tables}


@pytest.mark.parametrize("channel", sorted(EXPECTED_TABLES))
@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_a_channel_without_files_creates_its_tables_empty(
    tmp_path: Path, channel: str, folder: str
) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    if folder == "empty":
        (landing / channel).mkdir()
    pipeline = dlt.pipeline(
        pipeline_name=f"leadscore_{channel}",
        destination=dlt.destinations.duckdb(str(tmp_path / "w.duckdb")),
        dataset_name=f"raw_{channel}",
        pipelines_dir=str(tmp_path / "pl"),
    )
    pipeline.run(CHANNEL_SOURCES[channel](landing))
    assert table_counts(pipeline, f"raw_{channel}") == dict.fromkeys(EXPECTED_TABLES[channel], 0)
    # typed from the hints, with dlt's load id column, as a real load would make them
    main = EXPECTED_TABLES[channel][0]
    columns = dict(
        rows(
            pipeline,
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = 'raw_{channel}' and table_name = '{main}'",
        )
    )
    assert columns["_dlt_load_id"] == "VARCHAR"
    assert columns["position"] == "BIGINT"
    assert pipeline.run(CHANNEL_SOURCES[channel](landing)).loads_ids == []


def test_a_salesforce_query_with_zero_records_creates_the_tables(
    raw_load: type[RawLoad], fake_apis: FakeApis
) -> None:
    fake_apis.salesforce.api.pages["Opportunity"] = []
    api = raw_load("crm", "api")
    api.run()
    counts = api.counts()
    assert counts["opportunities"] == 0
    assert counts["opportunities_rejected"] == 0
    assert counts["leads"] > 0 and counts["tasks"] > 0
    answers = [
        request.records
        for request in fake_apis.salesforce.requests
        if "FROM Opportunity" in request.params.get("q", "")
    ]
    assert answers == [0]
    assert rows(api.pipeline, "select count(*) from raw_crm.opportunities_deliveries") == [(0,)]
