"""A view's materialization metadata: its columns only, its query is never run again."""

import duckdb

from orchestration.assets.table_metadata import table_metadata


def test_a_view_gets_its_column_schema_without_running_its_query() -> None:
    with duckdb.connect() as connection:
        connection.execute(
            "create schema staging; create table staging.t as select 1 as n; "
            # the view fails when its query runs: any count or preview would raise
            "create view staging.v as select n, error('view query ran') as e from staging.t"
        )
        metadata = table_metadata(connection, "staging", "v")
        table = table_metadata(connection, "staging", "t")
    assert [column.name for column in metadata["dagster/column_schema"].columns] == ["n", "e"]
    assert "dagster/row_count" not in metadata and "preview" not in metadata
    assert table["dagster/row_count"] == 1
