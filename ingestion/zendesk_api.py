"""Support in API mode: Zendesk's incremental cursor export of tickets, with users sideloaded.

`GET {base_url}/api/v2/incremental/tickets/cursor.json?start_time=<unix>&include=users`, then
`after_url` until `end_of_stream`. Each response is parsed exactly like a landing page, so the
tables are the files mode's: `file` = `api:zendesk/<the request's start_time or cursor>` (the
page's identity in Zendesk's change stream), `position` = index + 1 in the page's list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import dlt
from dlt.extract.items import DataItemWithMeta
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client.auth import HttpBasicAuth
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator
from requests import Response

from ingestion.api_client import (
    api_secret,
    api_setting,
    explained_unauthorized,
    rest_client,
)
from ingestion.parsing.readers import page_records
from ingestion.parsing.tables import EntityParser
from ingestion.plumbing import parsed_rows, parser_resource

API = "zendesk"
EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"
CURSOR_STATE_KEY = "after_cursor"
CREDENTIAL_VARIABLES = "SOURCES__ZENDESK__EMAIL and SOURCES__ZENDESK__API_TOKEN"


class ZendeskExportPaginator(JSONLinkPaginator):
    """Follow `after_url` until `end_of_stream`: the last page still carries an `after_url`
    (the place to resume from later), so a plain link paginator would never stop."""

    def __init__(self) -> None:
        super().__init__(next_url_path="after_url")

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        super().update_state(response, data)
        if response.json().get("end_of_stream", True):
            self._next_reference = None


def first_request_params(after_cursor: str | None, start_time: int) -> dict[str, Any]:
    """Resume from the cursor the last run ended at; the very first run from `start_time`."""
    if after_cursor:
        return {"cursor": after_cursor, "include": "users"}
    return {"start_time": start_time, "include": "users"}


def page_name(params: Mapping[str, Any]) -> str:
    """`api:zendesk/cursor=<c>` or `api:zendesk/start_time=<t>`: stable, one per page."""
    key = "cursor" if "cursor" in params else "start_time"
    return f"api:{API}/{key}={params[key]}"


def ticket_export_resource(
    page_lists: Mapping[str, str], parsers: Mapping[str, EntityParser], resource: str
) -> DltResource:
    """The `tickets` resource read from Zendesk; the cursor to resume from is in dlt state.

    Zendesk's own cursor, not a `generated_timestamp` high-water mark, because `start_time`
    is inclusive: re-reading the boundary second would re-load rows that were rejected.
    """

    def pages() -> Iterator[DataItemWithMeta]:
        base_url = api_setting(API, "base_url")
        start_time = int(api_setting(API, "start_time") or 0)
        auth = HttpBasicAuth(
            username=f"{api_secret(API, 'email')}/token", password=api_secret(API, "api_token")
        )
        client = rest_client(str(base_url), auth, ZendeskExportPaginator())
        state = dlt.current.resource_state()
        params = first_request_params(state.get(CURSOR_STATE_KEY), start_time)
        with explained_unauthorized(API, CREDENTIAL_VARIABLES):
            for page in client.paginate(EXPORT_PATH, params=params, data_selector="tickets"):
                body = page.response.json()
                records = page_records(page_name(params), body, page_lists)
                yield from parsed_rows(records, resource, parsers)
                if body.get("after_cursor"):
                    state[CURSOR_STATE_KEY] = body["after_cursor"]
                    params = {"cursor": body["after_cursor"]}

    return parser_resource(pages, parsers)
