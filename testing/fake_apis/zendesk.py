"""Fake Zendesk: the incremental cursor export of tickets with users sideloaded.

`include=users`, `after_url` until `end_of_stream`, resumable with the last `after_cursor`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from testing.fake_apis.pages import Answer, Page, json_pages

ZENDESK_EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"
# Fake credentials of the demo and the tests; a real deployment sets its own secrets.
ZENDESK_EMAIL = "demo@example.com"
ZENDESK_API_TOKEN = "fake-zendesk-token"  # noqa: S105 - the fake server's own test value


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
        return cls(json_pages(landing_dir / "support"))

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
