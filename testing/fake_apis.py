"""Fake Zendesk and Salesforce APIs on 127.0.0.1, serving a generated landing zone.

Real HTTP (`ThreadingHTTPServer`, a free port) so API mode runs exactly as against the
vendors: Zendesk's incremental cursor export (`include=users`, `after_url` until
`end_of_stream`, resumable with the last `after_cursor`) and Salesforce SOQL queries
(`nextRecordsUrl` until `done`, `WHERE <field> > <datetime>`). Each landing page is one API
page, in file order, so a first full read returns exactly what files mode reads; changes
made later (`add_ticket_version`, `add_record`) are appended, as the vendors' change streams
do. Faults (429 with Retry-After, 5xx, slow answers) are injected per server; a wrong
credential gets 401. Every request is logged for the tests.

`python -m testing.fake_apis --landing DIR -- COMMAND...` runs COMMAND with
`SOURCES__ZENDESK__*` and `SOURCES__SALESFORCE__*` pointing at both fakes (`make demo-api`).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
ZENDESK_EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"
SALESFORCE_QUERY_PATH = "/services/data/v60.0/query"
SALESFORCE_COLLECTIONS_PATH = "/services/data/v60.0/composite/sobjects"
SALESFORCE_COLLECTIONS_LIMIT = 200  # records per sObject Collections call
# Fake credentials of the demo and the tests; a real deployment sets its own secrets.
ZENDESK_EMAIL = "demo@example.com"
ZENDESK_API_TOKEN = "fake-zendesk-token"  # noqa: S105 - the fake server's own test value
SALESFORCE_ACCESS_TOKEN = "fake-salesforce-token"  # noqa: S105 - the fake server's own value
SALESFORCE_FOLDERS = {"Lead": "leads", "Opportunity": "opportunities", "Task": "tasks"}

Page = dict[str, Any]
Answer = tuple[int, dict[str, Any]]


def _json_pages(folder: Path) -> list[Page]:
    """The JSON object pages of a landing folder, by file name (what the API would page)."""
    pages = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            document = json.loads(path.read_bytes())
        except ValueError:
            continue  # a broken file is a files-mode fault; an API never sends one
        if isinstance(document, dict):
            pages.append(document)
    return pages


class FakeApi(Protocol):
    def authorized(self, headers: Mapping[str, str]) -> bool: ...

    def answer(self, path: str, params: Mapping[str, str], base_url: str) -> Answer: ...


# --------------------------------------------------------------------------------------------
# Zendesk incremental cursor export
# --------------------------------------------------------------------------------------------


def _encode_cursor(position: int, start_time: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([position, start_time]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[int, int]:
    position, start_time = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    return int(position), int(start_time)


def _changed_since(ticket: Any, start_time: int) -> bool:
    stamp = ticket.get("generated_timestamp") if isinstance(ticket, dict) else None
    return not isinstance(stamp, int) or stamp >= start_time


@dataclass
class FakeZendesk:
    """The change stream: one page per landing page, then every change added later."""

    pages: list[Page]
    email: str = ZENDESK_EMAIL
    api_token: str = ZENDESK_API_TOKEN

    @classmethod
    def from_landing(cls, landing_dir: Path) -> FakeZendesk:
        return cls(_json_pages(landing_dir / "support"))

    def add_ticket_version(self, ticket: dict[str, Any], users: list[dict[str, Any]]) -> None:
        """A ticket changed (or was created) after the export so far: a new page at the end."""
        self.pages.append({"tickets": [ticket], "users": users})

    def authorized(self, headers: Mapping[str, str]) -> bool:
        expected = base64.b64encode(f"{self.email}/token:{self.api_token}".encode()).decode()
        return headers.get("Authorization") == f"Basic {expected}"

    def _filtered(self, page: Page, start_time: int) -> Page:
        tickets = [t for t in page.get("tickets") or [] if _changed_since(t, start_time)]
        users = page.get("users") or []
        if len(tickets) < len(page.get("tickets") or []):
            referenced = {
                t.get(key)
                for t in tickets
                if isinstance(t, dict)
                for key in ("requester_id", "assignee_id")
            }
            users = [u for u in users if isinstance(u, dict) and u.get("id") in referenced]
        return {"tickets": tickets, "users": users}

    def answer(self, path: str, params: Mapping[str, str], base_url: str) -> Answer:
        if path != ZENDESK_EXPORT_PATH:
            return 404, {"error": "InvalidEndpoint"}
        if "cursor" in params:
            position, start_time = _decode_cursor(params["cursor"])
        else:
            position, start_time = 0, int(params.get("start_time", "0"))
        found = [
            (index, self._filtered(page, start_time))
            for index, page in enumerate(self.pages)
            if index >= position
        ]
        found = [(index, page) for index, page in found if page["tickets"]]
        if found:
            index, body = found[0]
            next_position, end_of_stream = index + 1, len(found) == 1
        else:
            body, next_position, end_of_stream = {"tickets": [], "users": []}, position, True
        cursor = _encode_cursor(next_position, start_time)
        query = urlencode({"cursor": cursor, "include": "users"})
        return 200, {
            **body,
            "after_cursor": cursor,
            "after_url": f"{base_url}{ZENDESK_EXPORT_PATH}?{query}",
            "before_cursor": None,
            "before_url": None,
            "end_of_stream": end_of_stream,
        }


# --------------------------------------------------------------------------------------------
# Salesforce SOQL query
# --------------------------------------------------------------------------------------------

_FROM = re.compile(r"\bFROM\s+(\w+)", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s+(\w+)\s*>\s*(\S+)", re.IGNORECASE)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _after(record: Any, field_name: str, since: datetime) -> bool:
    """SOQL `field > since`: a record without a readable value does not match (null)."""
    moment = _moment(record.get(field_name)) if isinstance(record, dict) else None
    return moment is not None and moment > since


@dataclass
class FakeSalesforce:
    """Per object, the landing pages in file order, then every record added later."""

    pages: dict[str, list[list[Any]]]
    access_token: str = SALESFORCE_ACCESS_TOKEN
    queries: dict[str, list[list[Any]]] = field(default_factory=dict)
    lead_updates: list[dict[str, Any]] = field(default_factory=list)  # every PATCHed record

    @classmethod
    def from_landing(cls, landing_dir: Path) -> FakeSalesforce:
        return cls(
            {
                sobject: [
                    page.get("records") or [] for page in _json_pages(landing_dir / "crm" / folder)
                ]
                for sobject, folder in SALESFORCE_FOLDERS.items()
            }
        )

    def update(self, path: str, body: Any) -> Answer:
        """sObject Collections update (`PATCH .../composite/sobjects`), Leads only: each record
        is applied to the last version of the Lead and logged in `lead_updates`."""
        records = body.get("records") if isinstance(body, dict) else None
        if path != SALESFORCE_COLLECTIONS_PATH or not isinstance(records, list):
            return 404, {"errorCode": "NOT_FOUND"}
        if len(records) > SALESFORCE_COLLECTIONS_LIMIT:
            return 400, [{"errorCode": "EXCEEDED_ID_LIMIT", "message": "more than 200 records"}]
        known = {lead.get("Id") for page in self.pages["Lead"] for lead in page}
        results = []
        for record in records:
            lead_id = record.get("id")
            if record.get("attributes", {}).get("type") != "Lead" or lead_id not in known:
                error = {"statusCode": "INVALID_CROSS_REFERENCE_KEY", "message": "no such Lead"}
                results.append({"id": lead_id, "success": False, "errors": [error]})
                continue
            fields = {k: v for k, v in record.items() if k not in ("attributes", "id")}
            self.lead_updates.append({"Id": lead_id, **fields})
            results.append({"id": lead_id, "success": True, "errors": []})
        return 200, results

    def add_record(self, sobject: str, record: dict[str, Any]) -> None:
        """A record changed after the reads so far: a new page at the end of its object."""
        self.pages[sobject].append([record])

    def authorized(self, headers: Mapping[str, str]) -> bool:
        return headers.get("Authorization") == f"Bearer {self.access_token}"

    def _query(self, soql: str) -> str:
        sobject_match = _FROM.search(soql)
        if sobject_match is None or sobject_match.group(1) not in self.pages:
            raise ValueError(soql)
        pages = self.pages[sobject_match.group(1)]
        where = _WHERE.search(soql)
        if where is not None:
            since = _moment(where.group(2))
            if since is None:
                raise ValueError(soql)
            pages = [[r for r in page if _after(r, where.group(1), since)] for page in pages]
        query_id = f"01gFAKE{len(self.queries):08d}"
        self.queries[query_id] = [page for page in pages if page] or [[]]
        return query_id

    def _page(self, query_id: str, number: int) -> Answer:
        pages = self.queries[query_id]
        body: dict[str, Any] = {
            "totalSize": sum(len(page) for page in pages),
            "done": number + 1 >= len(pages),
        }
        if not body["done"]:
            body["nextRecordsUrl"] = f"{SALESFORCE_QUERY_PATH}/{query_id}-{number + 1}"
        body["records"] = pages[number]
        return 200, body

    def answer(self, path: str, params: Mapping[str, str], base_url: str) -> Answer:
        if path == SALESFORCE_QUERY_PATH:
            try:
                return self._page(self._query(params.get("q", "")), 0)
            except ValueError:
                return 400, {"errorCode": "MALFORMED_QUERY", "message": "unsupported SOQL"}
        if path.startswith(f"{SALESFORCE_QUERY_PATH}/"):
            query_id, _, number = path.rsplit("/", 1)[1].partition("-")
            if query_id in self.queries and number.isdigit():
                return self._page(query_id, int(number))
        return 404, {"errorCode": "NOT_FOUND"}


# --------------------------------------------------------------------------------------------
# HTTP server, faults and request log
# --------------------------------------------------------------------------------------------


@dataclass
class Fault:
    """The next `times` requests fail with `status` (after `delay_seconds`, if any).

    `status=200` with a delay is a slow but good answer (a client timeout, then a retry).
    """

    status: int
    times: int = 1
    retry_after: int | None = None
    delay_seconds: float = 0.0


@dataclass
class LoggedRequest:
    """One request the fake saw (logged on arrival), its status and how many tickets or
    records it answered with (None while a slow answer is still being prepared)."""

    path: str
    params: dict[str, str]
    arrived_at: float  # time.monotonic() on arrival
    status: int | None = None
    records: int | None = None


class FakeApiServer:
    """One fake API on 127.0.0.1 on a free port; `faults` are served before real answers."""

    def __init__(self, api: FakeApi) -> None:
        self.api = api
        self.faults: list[Fault] = []
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((HOST, 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            while self.faults and self.faults[0].times <= 0:
                self.faults.pop(0)
            if not self.faults:
                return None
            self.faults[0].times -= 1
            return self.faults[0]

    def _respond(
        self, path: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(status, body, extra headers) of one request."""
        if not self.api.authorized(headers):
            return 401, {"error": "Couldn't authenticate you"}, {}
        fault = self._next_fault()
        if fault is not None:
            time.sleep(fault.delay_seconds)
            if fault.status != 200:
                extra = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
                return fault.status, {"error": f"injected {fault.status}"}, extra
        with self._lock:
            return (*self.api.answer(path, params, self.base_url), {})

    def _respond_write(
        self, path: str, body: Any, headers: Mapping[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        """(status, answer, extra headers) of one PATCH: auth, injected faults, then the API."""
        if not self.api.authorized(headers):
            return 401, [{"errorCode": "INVALID_SESSION_ID"}], {}
        fault = self._next_fault()
        if fault is not None and fault.status != 200:
            extra = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            return fault.status, [{"errorCode": f"injected {fault.status}"}], extra
        update = getattr(self.api, "update", None)
        if update is None:
            return 405, [{"errorCode": "METHOD_NOT_ALLOWED"}], {}
        with self._lock:
            return (*update(path, body), {})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query))
                logged = LoggedRequest(url.path, params, time.monotonic())
                with server._lock:
                    server.requests.append(logged)
                status, body, extra_headers = server._respond(url.path, params, self.headers)
                logged.records = len(body.get("tickets") or body.get("records") or [])
                logged.status = status
                # the client may have given up on a slow answer (its timeout): a retry follows
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send_json(status, body, extra_headers)

            def do_PATCH(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                logged = LoggedRequest(url.path, {}, time.monotonic())
                with server._lock:
                    server.requests.append(logged)
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    body = None
                status, answer, extra_headers = server._respond_write(url.path, body, self.headers)
                logged.status = status
                logged.records = len(answer) if isinstance(answer, list) else 0
                self._send_json(status, answer, extra_headers)

            def _send_json(self, status: int, body: Any, extra_headers: Mapping[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra_headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                logger.debug("fake api: " + format, *args)

        return Handler


@dataclass
class FakeApis:
    zendesk: FakeApiServer
    salesforce: FakeApiServer

    def dlt_environment(self) -> dict[str, str]:
        """The `SOURCES__*` settings that point API mode at these fakes."""
        return {
            "SOURCES__ZENDESK__BASE_URL": self.zendesk.base_url,
            "SOURCES__ZENDESK__EMAIL": ZENDESK_EMAIL,
            "SOURCES__ZENDESK__API_TOKEN": ZENDESK_API_TOKEN,
            "SOURCES__SALESFORCE__BASE_URL": self.salesforce.base_url,
            "SOURCES__SALESFORCE__ACCESS_TOKEN": SALESFORCE_ACCESS_TOKEN,
        }


@contextmanager
def serve_fake_apis(landing_dir: Path) -> Iterator[FakeApis]:
    """Both fakes, serving `landing_dir`, for the duration of the block."""
    apis = FakeApis(
        FakeApiServer(FakeZendesk.from_landing(landing_dir)),
        FakeApiServer(FakeSalesforce.from_landing(landing_dir)),
    )
    apis.zendesk.start()
    apis.salesforce.start()
    try:
        yield apis
    finally:
        apis.zendesk.stop()
        apis.salesforce.stop()


def main(argv: list[str] | None = None) -> int:
    """Run a command (after `--`) with API mode pointed at fakes serving `--landing`."""
    parser = argparse.ArgumentParser(prog="python -m testing.fake_apis")
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("command", nargs="+", help="the command to run, after --")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with serve_fake_apis(args.landing) as apis:
        logger.info(
            "fake Zendesk on %s, fake Salesforce on %s",
            apis.zendesk.base_url,
            apis.salesforce.base_url,
        )
        # The child inherits this environment plus API mode (the demo's fake credentials).
        environment = {**os.environ, **apis.dlt_environment()}
        completed = subprocess.run(args.command, env=environment, check=False)  # noqa: S603
        logger.info(
            "fake APIs answered %d Zendesk and %d Salesforce requests",
            len(apis.zendesk.requests),
            len(apis.salesforce.requests),
        )
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
