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

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testing.fake_apis.salesforce import (
    SALESFORCE_ACCESS_TOKEN,
    SALESFORCE_COLLECTIONS_PATH,
    SALESFORCE_QUERY_PATH,
    FakeSalesforce,
)
from testing.fake_apis.server import FakeApiServer, Fault, LoggedRequest
from testing.fake_apis.zendesk import (
    ZENDESK_API_TOKEN,
    ZENDESK_EMAIL,
    ZENDESK_EXPORT_PATH,
    FakeZendesk,
)

__all__ = [
    "SALESFORCE_ACCESS_TOKEN",
    "SALESFORCE_COLLECTIONS_PATH",
    "SALESFORCE_QUERY_PATH",
    "ZENDESK_API_TOKEN",
    "ZENDESK_EMAIL",
    "ZENDESK_EXPORT_PATH",
    "FakeApiServer",
    "FakeApis",
    "FakeSalesforce",
    "FakeZendesk",
    "Fault",
    "LoggedRequest",
    "serve_fake_apis",
]


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
