"""Ground truth: what every delivered row is, whose it is, and what the pipeline must make of it.

Written to `<landing>_truth/`: people.csv, identifiers.csv, records.csv, touchpoints.csv and
summary.json (see the team spec, "Ground truth").
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

SOURCES = ("web", "email", "support", "social", "booth", "crm")
EXPECTED = ("loaded", "duplicate", "superseded", "quarantined", "filtered")

PEOPLE_HEADER = (
    "person_id",
    "email",
    "first_name",
    "last_name",
    "company",
    "title",
    "industry",
    "employee_count",
    "country",
    "is_converted",
    "converted_at",
    "is_won",
    "is_test",
)
IDENTIFIERS_HEADER = ("person_id", "key_type", "key_value")
RECORDS_HEADER = (
    "source",
    "entity",
    "file",
    "position",
    "source_record_id",
    "person_id",
    "fault",
    "expected",
)
TOUCHPOINTS_HEADER = (
    "person_id",
    "source",
    "source_record_id",
    "activity",
    "occurred_at",
    "anonymous_id",
    "page_path",
    "event_name",
)

_TRACK_ACTIVITIES = {
    "Brochure Downloaded": "brochure_download",
    "Whitepaper Downloaded": "whitepaper_download",
    "Contact Form Submitted": "contact_form",
    "Quote Requested": "quote_request",
    "Demo Requested": "demo_request",
    "Chat Started": "chat_started",
    "Live Chat Conversation Started": "chat_started",
    "Chat Message Sent": "chat_message",
    "Live Chat Message Sent": "chat_message",
    "Newsletter Subscribed": "newsletter_signup",
    "Webinar Registered": "webinar_registered",
    "Webinar Attended": "webinar_attended",
}
_EMAIL_ACTIVITIES = {
    "delivered": "email_delivered",
    "open": "email_open",
    "click": "email_click",
    "unsubscribe": "email_unsubscribe",
    "group_unsubscribe": "email_unsubscribe",
    "group_resubscribe": "email_resubscribe",
    "spamreport": "email_spamreport",
}
_TASK_ACTIVITIES = {
    "Call": "sales_call",
    "Meeting": "sales_meeting",
    "Demo": "sales_demo",
    "Email": "sales_email",
}


def page_activity(path: str) -> str:
    """Touchpoint activity of a page view, by path."""
    if path == "/pricing":
        return "pricing_page_view"
    if path == "/":
        return "home_view"
    if path == "/contact":
        return "contact_page_view"
    for prefix, activity in (
        ("/product/", "product_page_view"),
        ("/case-studies/", "case_study_view"),
        ("/careers/", "careers_page_view"),
        ("/blog/", "blog_view"),
    ):
        if path.startswith(prefix):
            return activity
    return "page_view"


def track_activity(name: str) -> str:
    return _TRACK_ACTIVITIES.get(name, "other")


def email_activity(event: str) -> str | None:
    """Activity of a SendGrid event, None for delivery mechanics (processed, bounce, ...)."""
    return _EMAIL_ACTIVITIES.get(event.lower())


def task_activity(task_type: str | None) -> str:
    return _TASK_ACTIVITIES.get(task_type or "", "sales_other")


@dataclass(slots=True)
class Touch:
    person_id: str  # empty when the pipeline cannot tie it to anyone (anonymous browsing)
    activity: str
    occurred_at: str
    anonymous_id: str = ""
    page_path: str = ""
    event_name: str = ""


@dataclass(slots=True)
class Rec:
    """Truth about one delivered row; the writer adds its file and position."""

    source: str
    entity: str
    source_record_id: str
    person_id: str
    fault: str = ""
    expected: str = "loaded"
    touch: Touch | None = None
    is_test: bool = False


class TruthWriter:
    """Streams the truth CSVs as the landing zone is written."""

    def __init__(self, truth_dir: Path) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        self.truth_dir = truth_dir
        self._files: list[IO[str]] = []
        self._people = self._open("people.csv", PEOPLE_HEADER)
        self._identifiers = self._open("identifiers.csv", IDENTIFIERS_HEADER)
        self._records = self._open("records.csv", RECORDS_HEADER)
        self._touchpoints = self._open("touchpoints.csv", TOUCHPOINTS_HEADER)
        self.counts = {source: dict.fromkeys(("delivered", *EXPECTED), 0) for source in SOURCES}
        self.faults: dict[str, int] = {}

    def _open(self, name: str, header: tuple[str, ...]) -> Any:
        handle = (self.truth_dir / name).open("w", newline="", encoding="utf-8")
        self._files.append(handle)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        return writer

    def record(self, file: str, position: int, rec: Rec) -> None:
        """One delivered row at `file` (relative POSIX path) and 1-based `position`."""
        self._records.writerow(
            (
                rec.source,
                rec.entity,
                file,
                position,
                rec.source_record_id,
                rec.person_id,
                rec.fault,
                rec.expected,
            )
        )
        counts = self.counts[rec.source]
        counts["delivered"] += 1
        counts[rec.expected] += 1
        if rec.fault:
            self.faults[rec.fault] = self.faults.get(rec.fault, 0) + 1
        touch = rec.touch
        if touch is not None and rec.expected == "loaded" and not rec.is_test:
            self._touchpoints.writerow(
                (
                    touch.person_id,
                    rec.source,
                    rec.source_record_id,
                    touch.activity,
                    touch.occurred_at,
                    touch.anonymous_id,
                    touch.page_path,
                    touch.event_name,
                )
            )

    def identifier(self, person_id: str, key_type: str, key_value: str) -> None:
        self._identifiers.writerow((person_id, key_type, key_value))

    def person(self, row: tuple[object, ...]) -> None:
        self._people.writerow(row)

    def write_summary(self, summary: dict[str, Any]) -> None:
        text = json.dumps(summary, indent=2, sort_keys=True) + "\n"
        (self.truth_dir / "summary.json").write_text(text, encoding="utf-8")

    def close(self) -> None:
        for handle in self._files:
            handle.close()
