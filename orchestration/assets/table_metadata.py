"""Materialization metadata every table asset reports: rows, column types, a preview, figures.

One helper for every asset kind (dbt models, dlt tables, Python assets), so the UI shows the
same panel everywhere. Personal columns are masked in the preview: the Dagster UI is not a
place to browse people's emails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

import dagster as dg
import duckdb
import pandas as pd

from orchestration.privacy.masking import MASK, mask_email, mask_emails_in

PREVIEW_ROWS = 5
PREVIEW_MAX_COLUMNS = 12
PERSONAL_COLUMN = re.compile(
    r"(^|_)(email|email_address|first_name|last_name|name|phone|ip|submitter|key_value|raw"
    r"|user_agent|alias_email)$"
)
EMAIL_COLUMN = re.compile(r"(^|_)(email|email_address|alias_email)$")

# Key figures per table: (figure, value) rows, shown as one metadata entry each.
KEY_FIGURES_SQL = {
    "marts.lead_scores": """
        select 'leads_' || band, count(*) from marts.lead_scores group by band
        union all select 'mean_total_score', round(avg(total_score), 2) from marts.lead_scores
    """,
    "marts.touchpoints": """
        select 'touchpoints_' || source, count(*) from marts.touchpoints group by source
        union all select 'unattributed', count(*) from marts.touchpoints where lead_id is null
    """,
    "marts.source_freshness": """
        select 'stale_sources', count(*) from marts.source_freshness where is_stale
    """,
    "marts.lead_profiles": """
        select 'converted_leads', count(*) from marts.lead_profiles where is_converted
    """,
    "marts.ingestion_audit": """
        select 'delivered', sum(delivered) from marts.ingestion_audit
        union all select 'quarantined', sum(quarantined) from marts.ingestion_audit
    """,
}
NEWEST_LOAD_SQL = """
select count(*) from {table} where _dlt_load_id = (select max(_dlt_load_id) from {table})
"""


def _quoted(schema: str, table: str) -> str:
    return f'"{schema}"."{table}"'


def table_metadata(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str
) -> dict[str, Any]:
    """Row count, column schema, a masked preview and key figures of `schema.table`.

    A view gets its column schema only: counting or previewing it runs its whole query again
    (every view of the chain below it), which took a third of the dbt steps' time outside
    dbt at 100k touchpoints (README "Performance").
    The names are asset keys of the code location (fixed identifiers), never user input.
    An object that is not in the warehouse (a dbt test, an ephemeral model) gives nothing.
    """
    columns = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if not columns:
        return {}
    metadata: dict[str, Any] = {
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=column, type=kind) for column, kind in columns]
        )
    }
    if _is_view(connection, schema, table):
        return metadata
    name = _quoted(schema, table)
    rows = connection.execute(f"select count(*) from {name}").fetchall()[0][0]  # noqa: S608
    metadata["dagster/row_count"] = int(rows)
    metadata["preview"] = dg.MetadataValue.md(_preview(connection, name, [c for c, _ in columns]))
    if any(column == "_dlt_load_id" for column, _ in columns):
        newest = connection.execute(NEWEST_LOAD_SQL.format(table=name)).fetchall()[0][0]
        metadata["rows_in_newest_load"] = int(newest)
    figures_sql = KEY_FIGURES_SQL.get(f"{schema}.{table}")
    if figures_sql:
        for figure, value in connection.execute(figures_sql).fetchall():
            metadata[str(figure)] = float(value) if value is not None else None
    return metadata


def _is_view(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    kind = connection.execute(
        "select table_type from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return kind is not None and kind[0] == "VIEW"


def _preview(connection: duckdb.DuckDBPyConnection, name: str, columns: list[str]) -> str:
    shown = columns[:PREVIEW_MAX_COLUMNS]
    select = ", ".join(f'"{column}"' for column in shown)
    frame = connection.execute(
        f"select {select} from {name} limit {PREVIEW_ROWS}"  # noqa: S608
    ).df()
    for column in shown:
        if EMAIL_COLUMN.search(column):
            frame[column] = frame[column].map(
                lambda value: mask_email(value) if isinstance(value, str) else value
            )
        elif PERSONAL_COLUMN.search(column):
            frame[column] = frame[column].where(frame[column].isna(), MASK)
        elif pd.api.types.is_string_dtype(frame[column]):
            # an address inside any other text (a URL, a key value, an error) is masked too
            frame[column] = frame[column].map(
                lambda value: mask_emails_in(value) if isinstance(value, str) else value
            )
    return cast(str, frame.to_markdown(index=False))  # pandas is untyped here


def with_table_metadata(
    events: Iterable[Any],
    key_of: Any,
    connection: duckdb.DuckDBPyConnection,
) -> Iterator[Any]:
    """The events, each materialization (Output or MaterializeResult) with its table's
    metadata added; `key_of(event)` gives the event's asset key (None to leave it as is)."""
    for event in events:
        key = key_of(event)
        if key is None or len(key.path) != 2:
            yield event
            continue
        extra = table_metadata(connection, key.path[0], key.path[1])
        if isinstance(event, dg.Output):
            yield event.with_metadata({**event.metadata, **extra})
        elif isinstance(event, dg.MaterializeResult):
            yield dg.MaterializeResult(
                asset_key=event.asset_key,
                metadata={**(event.metadata or {}), **extra},
                check_results=event.check_results,
                data_version=event.data_version,
                tags=event.tags,
            )
        else:
            yield event
