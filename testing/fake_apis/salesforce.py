"""Fake Salesforce: SOQL queries (`nextRecordsUrl` until `done`, `WHERE <field> > <datetime>`)
and the sObject Collections update of Leads (the score write-back)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from testing.fake_apis.pages import Answer, json_pages

SALESFORCE_QUERY_PATH = "/services/data/v60.0/query"
SALESFORCE_COLLECTIONS_PATH = "/services/data/v60.0/composite/sobjects"
SALESFORCE_COLLECTIONS_LIMIT = 200  # records per sObject Collections call
# The fake credential of the demo and the tests; a real deployment sets its own secret.
SALESFORCE_ACCESS_TOKEN = "fake-salesforce-token"  # noqa: S105 - the fake server's own value
SALESFORCE_FOLDERS = {"Lead": "leads", "Opportunity": "opportunities", "Task": "tasks"}

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
                    page.get("records") or [] for page in json_pages(landing_dir / "crm" / folder)
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
