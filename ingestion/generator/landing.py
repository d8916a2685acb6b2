"""Generation run: persons in chunks -> journeys -> vendor rows -> dirt -> files and truth."""

from __future__ import annotations

import base64
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from ingestion.generator import vocab
from ingestion.generator.behaviour import Journey, Simulator, TicketPlan
from ingestion.generator.clock import DAY, iso_z
from ingestion.generator.faults import MISSING, Dirt
from ingestion.generator.ids import Counters
from ingestion.generator.people import PeopleFactory, Person
from ingestion.generator.shapes import Chunk, Row, Shaper
from ingestion.generator.truth import Rec, TruthWriter
from ingestion.generator.world import World, build_world
from ingestion.generator.writers import PageWriter, WebWriter, csv_text, dumps, json_array

logger = logging.getLogger(__name__)

CHUNK_PERSONS = 250
ANONYMOUS_PER_PERSON = 0.6
EMAIL_BATCH = 500
ZENDESK_PAGE = 100
LINKEDIN_PAGE = 100
SOQL_PAGE = 2_000
BOOTH_FILE = 400
_TEST_ID_BASE = 50_000_000


class LandingZoneNotEmptyError(ValueError):
    """The output folder (or its truth folder) already holds files and `clean` was not set."""


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    out_dir: Path
    truth_dir: Path
    seed: int
    leads: int
    days: int
    start_date: date
    end_date: date
    persons: int
    anonymous_visitors: int
    test_persons: int
    converted: int
    won: int
    files: int
    records: dict[str, dict[str, int]] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)

    @property
    def total_records(self) -> int:
        return sum(counts["delivered"] for counts in self.records.values())

    def describe(self) -> str:
        """One line for a person: what was written where."""
        faults = sum(self.faults.values())
        return (
            f"{self.persons:,} people ({self.converted:,} converted, {self.won:,} won) and "
            f"{self.anonymous_visitors:,} anonymous visitors, "
            f"{self.start_date} to {self.end_date}: "
            f"{self.total_records:,} records ({faults:,} faulty) in {self.files:,} files under "
            f"{self.out_dir}; ground truth in {self.truth_dir}"
        )


def truth_dir_for(out_dir: Path) -> Path:
    """`<out_dir>_truth`, beside the landing zone."""
    return out_dir.parent / f"{out_dir.name}_truth"


def _prepare(out_dir: Path, truth_dir: Path, clean: bool) -> None:
    for folder in (out_dir, truth_dir):
        if folder.exists() and any(folder.iterdir()):
            if not clean:
                raise LandingZoneNotEmptyError(
                    f"{folder} is not empty; pass clean=True (--clean) to replace it"
                )
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)


class _Run:
    def __init__(
        self, out_dir: Path, truth: TruthWriter, world: World, seed: int, dirty: bool
    ) -> None:
        self.out_dir = out_dir
        self.truth = truth
        self.world = world
        behaviour_rng = Random(f"{seed}:behaviour")
        fault_rng = Random(f"{seed}:faults")
        self.factory = PeopleFactory(seed)
        self.simulator = Simulator(world, behaviour_rng)
        self.shaper = Shaper(world, Random(f"{seed}:ids"), Counters(), identity_gaps=dirty)
        # QA identities and injected records draw from the fault stream and their own id
        # ranges, so clean and dirty zones of one seed share every regular person and id.
        self.test_simulator = Simulator(world, fault_rng)
        self.test_shaper = Shaper(world, fault_rng, Counters(), id_base=_TEST_ID_BASE)
        self.dirt = Dirt(fault_rng, dirty, world)
        self.web = WebWriter(out_dir, truth, self.dirt.truncated_tail)
        self.email_pages = PageWriter(out_dir, "email", "batch", truth)
        self.support_pages = PageWriter(out_dir, "support", "page", truth)
        self.social_pages = {
            kind: PageWriter(out_dir, f"social/{kind}", "page", truth)
            for kind in ("forms", "responses", "reactions", "comments")
        }
        self.crm_pages = {
            kind: PageWriter(out_dir, f"crm/{kind}", "page", truth)
            for kind in ("leads", "opportunities", "tasks")
        }
        self.booth_files: dict[str, int] = {}
        self.seen_agents: set[int] = set()
        self.persons = self.anonymous = self.tests = self.converted = self.won = 0

    # -- persons -----------------------------------------------------------------------------
    def person(self, person: Person, journey: Journey, shaper: Shaper, chunk: Chunk) -> None:
        marks = (len(chunk.leads), len(chunk.tickets))
        keys = shaper.emit(journey, chunk)
        self._pad_emails(chunk, marks, journey)
        if journey.tickets and self.dirt.deleted_ticket():
            plan = TicketPlan(
                "how_to",
                journey.tickets[0].created + 60_000,
                [],
                "web",
                "low",
                0,
                "Buy cheap followers now",
            )
            user_id = self._user_id(chunk, person)
            for _, _, _, rec in self.test_shaper.ticket(plan, person, user_id, chunk, "deleted"):
                rec.fault, rec.expected, rec.touch = "deleted_ticket", "filtered", None
        seen: set[tuple[str, str]] = set()
        for key in keys:
            if key not in seen:
                seen.add(key)
                self.truth.identifier(person.person_id, *key)
        converted_at = journey.converted_at
        self.truth.person(
            (
                person.person_id,
                person.email.strip().lower() if journey.email_known_at is not None else "",
                person.first_name,
                person.last_name,
                person.company.name,
                person.title,
                person.company.industry,
                person.company.employee_count,
                person.country,
                "true" if converted_at is not None else "false",
                iso_z(converted_at // DAY * DAY) if converted_at is not None else "",
                "true" if journey.is_won else "false",
                "true" if person.is_test else "false",
            )
        )
        self.converted += converted_at is not None
        self.won += journey.is_won

    @staticmethod
    def _user_id(chunk: Chunk, person: Person) -> int:
        for user_id, (_, person_id, _) in chunk.users.items():
            if person_id == person.person_id:
                return user_id
        raise KeyError(person.person_id)

    def _pad_emails(self, chunk: Chunk, marks: tuple[int, int], journey: Journey) -> None:
        """Mixed-case / space-padded addresses on a person's CRM lead and Zendesk user."""
        person = journey.person
        if person is None or person.is_test:
            return
        if journey.lead is not None and self.dirt.pad_email():
            padded = self.dirt.padded(person.email)
            for _, _, payload, rec in chunk.leads[marks[0] :]:
                if payload["Email"] == person.email and not payload["IsDeleted"]:
                    payload["Email"] = padded
                    rec.fault = "padded_email"
        if journey.tickets and self.dirt.pad_email():
            user_id = self._user_id(chunk, person)
            chunk.users[user_id][0]["email"] = self.dirt.padded(person.email)
            chunk.padded_users.add(user_id)

    def chunk(self, first: int, last: int) -> None:
        chunk = Chunk()
        for index in range(first, last):
            person = self.factory.next_person(index)
            self.person(person, self.simulator.person_journey(person), self.shaper, chunk)
            self.persons += 1
        for _ in range(int((last - first) * ANONYMOUS_PER_PERSON)):
            self.shaper.emit(self.simulator.anonymous_journey(), chunk)
            self.anonymous += 1
        for _ in range(self.dirt.test_people(last - first)):
            self.tests += 1
            person = self.factory.test_person(self.tests, self.dirt.rng)
            self.person(person, self.test_simulator.test_journey(person), self.test_shaper, chunk)
        self.flush(chunk)

    # -- flushing ----------------------------------------------------------------------------
    def flush(self, chunk: Chunk) -> None:
        dirt = self.dirt
        dirt.web(chunk)
        chunk.web.sort(key=lambda row: (row[0], row[1], row[2]))
        for day, _, _, payload, rec in chunk.web:
            self.web.write(
                day, payload.encode() if isinstance(payload, str) else dumps(payload), rec
            )
        dirt.email(chunk)
        self._email(chunk.email)
        self._support(chunk)
        self._social(chunk)
        self._booth(chunk)
        self._crm(chunk)

    @staticmethod
    def _sorted(rows: list[Row]) -> list[Row]:
        return sorted(rows, key=lambda row: (row[0], row[1]))

    def _email(self, rows: list[Row]) -> None:
        rows = self._sorted(rows)
        for start in range(0, len(rows), EMAIL_BATCH):
            batch = rows[start : start + EMAIL_BATCH]
            self.email_pages.write(
                self.email_pages.next_relative(),
                json_array([payload for _, _, payload, _ in batch]),
                [[rec for _, _, _, rec in batch]],
            )
        if self.dirt.empty_file(0.15):
            self.email_pages.write_empty()

    def _support(self, chunk: Chunk) -> None:
        self.dirt.versioned(
            chunk.tickets,
            (("missing_field", "requester_id", MISSING), ("wrong_type", "requester_id", "n/a")),
        )
        rows = self._sorted(chunk.tickets)
        seen_users: set[int] = set()
        for start in range(0, len(rows), ZENDESK_PAGE):
            page = rows[start : start + ZENDESK_PAGE]
            user_ids: list[int] = []
            for _, _, ticket, _ in page:
                for user_id in (ticket.get("requester_id"), ticket.get("assignee_id")):
                    if isinstance(user_id, int) and user_id not in user_ids:
                        user_ids.append(user_id)
            users, user_recs = [], []
            for user_id in user_ids:
                payload, rec = self._zendesk_user(chunk, user_id, seen_users)
                users.append(payload)
                user_recs.append(rec)
            last_generated = page[-1][2]["generated_timestamp"]
            cursor = base64.b64encode(f"{last_generated}.0||{page[-1][2]['id']}|".encode()).decode()
            body = {
                "tickets": [ticket for _, _, ticket, _ in page],
                "users": users,
                "after_cursor": cursor,
                "after_url": "https://brightlane.zendesk.com/api/v2/incremental/tickets/cursor.json"
                f"?cursor={cursor}&include=users",
                "before_cursor": None,
                "before_url": None,
                "end_of_stream": start + ZENDESK_PAGE >= len(rows),
            }
            self.support_pages.write(
                self.support_pages.next_relative(), dumps(body), [[r for *_, r in page], user_recs]
            )

    def _zendesk_user(
        self, chunk: Chunk, user_id: int, seen: set[int]
    ) -> tuple[dict[str, Any], Rec]:
        if user_id in chunk.users:
            payload, person_id, is_test = chunk.users[user_id]
            rec = Rec("support", "user", str(user_id), person_id, is_test=is_test)
            if is_test:
                rec.fault, rec.expected = "test_record", "filtered"
            elif user_id in seen:
                rec.expected = "duplicate"
            elif user_id in chunk.padded_users:
                rec.fault = "padded_email"
            seen.add(user_id)
            return payload, rec
        agent = next(row for row in vocab.SUPPORT_AGENTS if row[0] == user_id)
        first, last = agent[1].lower().split()
        payload = {
            "id": user_id,
            "url": f"https://brightlane.zendesk.com/api/v2/users/{user_id}.json",
            "name": agent[1],
            "email": f"{first}.{last}@{vocab.VENDOR_DOMAIN}",
            "role": agent[2],
            "organization_id": None,
            "active": True,
            "verified": True,
        }
        rec = Rec("support", "user", str(user_id), "")
        if user_id in self.seen_agents:
            rec.expected = "duplicate"
        self.seen_agents.add(user_id)
        return payload, rec

    def _paged_elements(self, writer: PageWriter, rows: list[Row]) -> None:
        rows = self._sorted(rows)
        for start in range(0, len(rows), LINKEDIN_PAGE):
            page = rows[start : start + LINKEDIN_PAGE]
            body = {
                "elements": [payload for _, _, payload, _ in page],
                "paging": {"start": start, "count": LINKEDIN_PAGE, "total": len(rows), "links": []},
            }
            writer.write(writer.next_relative(), dumps(body), [[rec for *_, rec in page]])

    def _social(self, chunk: Chunk) -> None:
        dirt = self.dirt
        dirt.in_place(
            chunk.responses,
            (
                (0.007, "missing_field", "submittedAt", MISSING),
                (0.005, "wrong_type", "submittedAt", "2026-01-01"),
            ),
        )
        dirt.organization_reactions(chunk)
        dirt.versioned(chunk.reactions, (("missing_field", "created.time", MISSING),))
        dirt.versioned(chunk.comments, (("missing_field", "actor", MISSING),))
        self._paged_elements(self.social_pages["responses"], chunk.responses)
        self._paged_elements(self.social_pages["reactions"], chunk.reactions)
        self._paged_elements(self.social_pages["comments"], chunk.comments)

    def _booth(self, chunk: Chunk) -> None:
        for event_index in sorted(chunk.scans):
            event = self.world.booth_events[event_index]
            rows = self._sorted(chunk.scans[event_index])
            self.dirt.scans(rows)
            for start in range(0, len(rows), BOOTH_FILE):
                part = rows[start : start + BOOTH_FILE]
                number = self.booth_files.get(event.slug, 0) + 1
                self.booth_files[event.slug] = number
                name = f"lead-export-{number:04d}.csv"
                bom, crlf, blank_tail = self.dirt.csv_format()
                path = self.out_dir / "booth" / event.slug / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(
                    csv_text(
                        [row for _, _, row, _ in part], bom=bom, crlf=crlf, blank_tail=blank_tail
                    )
                )
                for position, (_, _, _, rec) in enumerate(part, start=1):
                    rec.source_record_id = f"{event.slug}/{name}#{position}"
                    self.truth.record(f"booth/{event.slug}/{name}", position, rec)
                    if rec.expected == "loaded" and rec.person_id and not rec.is_test:
                        self.truth.identifier(rec.person_id, "booth_scan", rec.source_record_id)

    def _crm(self, chunk: Chunk) -> None:
        dirt = self.dirt
        dirt.versioned(
            chunk.leads,
            (
                ("missing_field", "LastModifiedDate", MISSING),
                ("wrong_type", "LastModifiedDate", "yesterday"),
            ),
        )
        dirt.versioned(chunk.opportunities, (("missing_field", "Id", MISSING),))
        dirt.in_place(chunk.tasks, ((0.006, "missing_field", "CreatedDate", MISSING),))
        for kind, rows in (
            ("leads", chunk.leads),
            ("opportunities", chunk.opportunities),
            ("tasks", chunk.tasks),
        ):
            writer = self.crm_pages[kind]
            rows = self._sorted(rows)
            for start in range(0, len(rows), SOQL_PAGE):
                page = rows[start : start + SOQL_PAGE]
                body: dict[str, Any] = {
                    "totalSize": len(rows),
                    "done": start + SOQL_PAGE >= len(rows),
                }
                if not body["done"]:
                    locator = f"01gRO0000016{writer.number:06d}-{start + SOQL_PAGE}"
                    body["nextRecordsUrl"] = f"/services/data/v60.0/query/{locator}"
                body["records"] = [payload for _, _, payload, _ in page]
                writer.write(writer.next_relative(), dumps(body), [[rec for *_, rec in page]])

    # -- fixed content -----------------------------------------------------------------------
    def forms(self) -> None:
        elements, recs = [], []
        for form in self.world.forms:
            questions = []
            for question in form.questions:
                entry: dict[str, Any] = {
                    "questionId": question.question_id,
                    "name": question.name,
                    "question": {"localized": {"en_US": question.name}},
                }
                if question.predefined_field:
                    entry["predefinedField"] = question.predefined_field
                if question.options:
                    entry["questionDetails"] = {
                        "multipleChoiceQuestionDetails": {
                            "options": [
                                {"id": number, "text": {"localized": {"en_US": text}}}
                                for number, text in enumerate(question.options, start=1)
                            ]
                        }
                    }
                else:
                    entry["questionDetails"] = {"textQuestionDetails": {"maxResponseLength": 300}}
                questions.append(entry)
            elements.append(
                {
                    "id": form.form_id,
                    "versionId": form.version_id,
                    "name": form.name,
                    "state": form.state,
                    "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:512345678"},
                    "creationLocale": {"country": "US", "language": "en"},
                    "content": {"questions": questions, "legalInfo": {"legalInfoId": 1}},
                    "created": self.world.start - 30 * DAY,
                    "lastModified": self.world.start - 30 * DAY + form.version_id * DAY,
                }
            )
            recs.append(Rec("social", "form", f"{form.form_id}:{form.version_id}", ""))
        body = {"elements": elements, "paging": {"start": 0, "count": 10, "total": len(elements)}}
        writer = self.social_pages["forms"]
        writer.write(writer.next_relative(), dumps(body), [recs])

    def finish(self) -> None:
        self.web.close()
        for day in self.web.days():
            if self.dirt.empty_file(0.04):
                self.web.empty_part(day)


def generate_landing_zone(
    out_dir: Path,
    *,
    leads: int = 500,
    days: int = 90,
    seed: int = 7,
    end_date: date | None = None,
    clean: bool = False,
    dirty: bool = True,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Write a synthetic multichannel landing zone to `out_dir` and its truth to `<out_dir>_truth`.

    Same arguments give byte-identical files. `dirty=False` writes no faults at all. Raises
    `LandingZoneNotEmptyError` (a `ValueError`) when a target folder holds files and
    `clean` is false; with `clean=True` both folders are deleted first.
    """
    if leads < 1 or days < 1:
        raise ValueError("leads and days must be positive")
    out_dir = Path(out_dir)
    truth_dir = truth_dir_for(out_dir)
    _prepare(out_dir, truth_dir, clean)
    end = end_date or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    world = build_world(seed, start, end)
    truth = TruthWriter(truth_dir)
    run = _Run(out_dir, truth, world, seed, dirty)
    try:
        run.forms()
        for first in range(0, leads, CHUNK_PERSONS):
            run.chunk(first, min(first + CHUNK_PERSONS, leads))
            message = f"generated {run.persons}/{leads} persons"
            logger.debug(message)
            if progress is not None:
                progress(message)
        run.finish()
    finally:
        truth.close()
    files = sum(1 for path in out_dir.rglob("*") if path.is_file())
    summary = GenerationSummary(
        out_dir=out_dir,
        truth_dir=truth_dir,
        seed=seed,
        leads=leads,
        days=days,
        start_date=start,
        end_date=end,
        persons=run.persons,
        anonymous_visitors=run.anonymous,
        test_persons=run.tests,
        converted=run.converted,
        won=run.won,
        files=files,
        records={source: dict(counts) for source, counts in truth.counts.items()},
        faults=dict(sorted(truth.faults.items())),
    )
    truth.write_summary(
        {
            "parameters": {
                "seed": seed,
                "leads": leads,
                "days": days,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "dirty": dirty,
            },
            "persons": run.persons,
            "anonymous_visitors": run.anonymous,
            "test_persons": run.tests,
            "converted": run.converted,
            "won": run.won,
            "files": files,
            "sources": summary.records,
            "faults": summary.faults,
        }
    )
    return summary
