"""Salesforce write-back: changed scores, bands and owners onto Lead fields.

sObject Collections update, `PATCH /services/data/vXX.X/composite/sobjects` with up to 200
records a call and `allOrNone: false`, so one bad record does not hold back the others.
Only leads with a Salesforce Lead id, and only when a written value changed since the last
successful write (`actions.salesforce_writes` keeps every write). Retries on 429/5xx come
from the retrying session; a 401 stops with an error naming the setting to check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

API_VERSION = "v60.0"
COLLECTIONS_PATH = f"/services/data/{API_VERSION}/composite/sobjects"
MAX_RECORDS_PER_CALL = 200
# The lead_scores columns that may be written (identifiers of the SQL below come from here).
WRITABLE_COLUMNS = (
    "total_score",
    "band",
    "grid_cell",
    "fit_score",
    "engagement_score",
    "fit_grade",
    "engagement_tier",
    "owner",
    "team",
    "top_reasons",
    "score_percentile",
)

SCHEMA_SQL = """
create schema if not exists actions;
create table if not exists actions.salesforce_writes (
    crm_lead_id varchar not null,
    lead_id varchar not null,
    field_values varchar not null,    -- JSON: Salesforce field -> value written
    status varchar not null,          -- written | failed (errors has Salesforce's reason)
    errors varchar,
    written_at timestamp not null
);
"""

LAST_WRITTEN_SQL = """
select crm_lead_id, field_values from (
    select crm_lead_id, field_values,
        row_number() over (partition by crm_lead_id order by written_at desc) as write_rank
    from actions.salesforce_writes
    where status = 'written'
) where write_rank = 1
"""

RECORD_SQL = "insert into actions.salesforce_writes values (?, ?, ?, ?, ?, now())"

# (path, JSON body) -> (HTTP status, decoded JSON answer or None)
Patcher = Callable[[str, dict[str, Any]], tuple[int, Any]]


class SalesforceWritebackError(RuntimeError):
    """Salesforce refused the write-back (401: credentials, or an unexpected answer)."""


@dataclass(frozen=True)
class WritebackReport:
    written: int
    failed: int
    calls: int

    def metadata(self) -> dict[str, int]:
        return {"leads_written": self.written, "leads_failed": self.failed, "calls": self.calls}


def check_field_mapping(fields: Sequence[tuple[str, str]]) -> None:
    """Every mapped column must be a writable `lead_scores` column."""
    unknown = [column for column, _ in fields if column not in WRITABLE_COLUMNS]
    if unknown:
        raise ValueError(
            f"LEADSCORE_SALESFORCE_FIELDS: unknown column(s) {unknown}; "
            f"choose from {', '.join(WRITABLE_COLUMNS)}"
        )


def changed_leads(
    connection: duckdb.DuckDBPyConnection, fields: Sequence[tuple[str, str]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(crm_lead_id, lead_id, field values) of every lead whose values differ from the last
    successful write (or were never written)."""
    check_field_mapping(fields)
    connection.execute(SCHEMA_SQL)
    columns = ", ".join(f"scores.{column}" for column, _ in fields)  # from WRITABLE_COLUMNS
    current = connection.execute(
        f"select profiles.crm_lead_id, scores.lead_id, {columns} "  # noqa: S608
        "from marts.lead_scores as scores "
        "inner join marts.lead_profiles as profiles on scores.lead_id = profiles.lead_id "
        "where profiles.crm_lead_id is not null order by profiles.crm_lead_id"
    ).fetchall()
    written = dict(connection.execute(LAST_WRITTEN_SQL).fetchall())
    changes = []
    for crm_lead_id, lead_id, *values in current:
        field_values = {
            sobject_field: _plain(value)
            for (_, sobject_field), value in zip(fields, values, strict=True)
        }
        if written.get(crm_lead_id) != _canonical(field_values):
            changes.append((crm_lead_id, lead_id, field_values))
    return changes


def write_back_scores(
    connection: duckdb.DuckDBPyConnection, fields: Sequence[tuple[str, str]], patch: Patcher
) -> WritebackReport:
    """PATCH every changed lead, 200 a call, and record each outcome."""
    changes = changed_leads(connection, fields)
    written = failed = calls = 0
    for chunk in _chunks(changes, MAX_RECORDS_PER_CALL):
        body = {
            "allOrNone": False,
            "records": [
                {"attributes": {"type": "Lead"}, "id": crm_lead_id, **values}
                for crm_lead_id, _, values in chunk
            ],
        }
        status, answer = patch(COLLECTIONS_PATH, body)
        calls += 1
        if status == 401:
            raise SalesforceWritebackError(
                "Salesforce refused the credentials (HTTP 401): check "
                "SOURCES__SALESFORCE__ACCESS_TOKEN"
            )
        if status != 200 or not isinstance(answer, list) or len(answer) != len(chunk):
            raise SalesforceWritebackError(
                f"Salesforce answered HTTP {status} to a composite update of {len(chunk)} leads"
            )
        records = []
        for (crm_lead_id, lead_id, values), outcome in zip(chunk, answer, strict=True):
            ok = bool(outcome.get("success"))
            errors = None if ok else json.dumps(outcome.get("errors"))
            status_text = "written" if ok else "failed"
            records.append([crm_lead_id, lead_id, _canonical(values), status_text, errors])
            written += ok
            failed += not ok
        connection.executemany(RECORD_SQL, records)
    return WritebackReport(written, failed, calls)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _canonical(values: Mapping[str, Any]) -> str:
    return json.dumps(values, sort_keys=True)


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value
