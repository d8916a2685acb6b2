"""CRM in API mode: Salesforce SOQL queries of Lead, Opportunity and Task, paged.

`GET {base_url}/services/data/v60.0/query?q=<SOQL>`, then `nextRecordsUrl` until `done`.
Each response is parsed exactly like a landing page: `file` = `api:salesforce/<Object>/<the
query's lower bound>/<page number>`, `position` = index + 1 in `records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.extract.items import DataItemWithMeta
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator

from ingestion.api_client import (
    api_secret,
    api_setting,
    explained_unauthorized,
    rest_client,
)
from ingestion.parsing.fields import FieldError, parse_iso_timestamp
from ingestion.parsing.readers import page_records
from ingestion.parsing.tables import EntityParser
from ingestion.plumbing import parsed_rows, parser_resource

API = "salesforce"
QUERY_PATH = "/services/data/v60.0/query"
SINCE_STATE_KEY = "since"
CREDENTIAL_VARIABLE = "SOURCES__SALESFORCE__ACCESS_TOKEN"

# The fields of the source contract, per object; SOQL has no `select *`.
LEAD_FIELDS = (
    "Id, Email, FirstName, LastName, Company, Title, Industry, NumberOfEmployees, "
    "AnnualRevenue, Country, State, LeadSource, Status, OwnerId, CreatedDate, "
    "LastModifiedDate, IsConverted, ConvertedDate, ConvertedOpportunityId, "
    "ConvertedContactId, IsDeleted, MasterRecordId"
)
OPPORTUNITY_FIELDS = (
    "Id, Name, StageName, IsClosed, IsWon, CloseDate, Amount, CampaignId, CreatedDate, "
    "LastModifiedDate"
)
TASK_FIELDS = (
    "Id, WhoId, Subject, Type, CallDurationInSeconds, ActivityDate, Status, CreatedDate, "
    "LastModifiedDate"
)


def soql(sobject: str, fields: str, cursor_field: str, since: str | None) -> str:
    """The SOQL of one object, from just after `since` (a SOQL datetime literal) when given."""
    # Every part is a constant of this module or a literal `soql_datetime` formatted.
    where = f" WHERE {cursor_field} > {since}" if since else ""
    return f"SELECT {fields} FROM {sobject}{where} ORDER BY {cursor_field}"  # noqa: S608


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal (UTC, no quotes): `2026-06-29T10:00:00.000Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment:%f}"[:3] + "Z"


def newest_cursor(records: Iterable[Any], cursor_field: str, since: str | None) -> str | None:
    """The latest `cursor_field` among raw records (rejected ones too), as a SOQL literal.

    Rejected records count: a filtered test lead newer than every loaded row must not be
    fetched again on every run. Unreadable values are skipped (those rows are quarantined).
    """
    newest = parse_iso_timestamp(since, cursor_field) if since else None
    for record in records:
        if not isinstance(record, Mapping):
            continue
        try:
            moment = parse_iso_timestamp(record.get(cursor_field), cursor_field)
        except FieldError:
            continue
        if moment is not None and (newest is None or moment > newest):
            newest = moment
    return soql_datetime(newest) if newest is not None else None


def page_name(sobject: str, since: str | None, number: int) -> str:
    return f"api:{API}/{sobject}/{since or 'all'}/page-{number:04d}"


def soql_resource(
    sobject: str,
    fields: str,
    cursor_field: str,
    entity: str,
    parser: EntityParser,
) -> DltResource:
    """One object's resource read with SOQL; the newest `cursor_field` seen is in dlt state.

    The next run asks only for records changed after it (`WHERE <cursor_field> > since`).
    """
    table = parser.table

    def pages() -> Iterator[DataItemWithMeta]:
        base_url = api_setting(API, "base_url")
        auth = BearerTokenAuth(token=api_secret(API, "access_token"))
        client = rest_client(str(base_url), auth, JSONLinkPaginator("nextRecordsUrl"))
        state = dlt.current.resource_state()
        since = state.get(SINCE_STATE_KEY)
        query = {"q": soql(sobject, fields, cursor_field, since)}
        with explained_unauthorized(API, CREDENTIAL_VARIABLE):
            pages = client.paginate(QUERY_PATH, params=query, data_selector="records")
            for number, page in enumerate(pages, start=1):
                body = page.response.json()
                records = page_records(page_name(sobject, since, number), body, {"records": entity})
                yield from parsed_rows(records, table.name, {entity: parser})
                records_seen = body.get("records") or []
                newest = newest_cursor(records_seen, cursor_field, state.get(SINCE_STATE_KEY))
                if newest is not None:
                    state[SINCE_STATE_KEY] = newest

    return parser_resource(pages, {entity: parser})
