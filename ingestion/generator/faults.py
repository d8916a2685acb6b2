"""Dirt: the faults real exports carry, each recorded with the outcome the pipeline must reach.

All decisions come from one fault `Random`, separate from the behaviour stream, so a clean and
a dirty landing zone of the same seed describe the same people doing the same things. The
expected outcome follows the ingestion rules: filters first, then the required fields; at most
one fault per row, and only clean rows are duplicated.
"""

from __future__ import annotations

import hashlib
import json
from random import Random
from typing import Any

from ingestion.generator.clock import DAY, HOUR, MINUTE, day_string, iso_offset, iso_z
from ingestion.generator.shapes import Chunk, Row, WebRow, account_event
from ingestion.generator.truth import Rec
from ingestion.generator.world import World

_GARBAGE_LINES = (
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    '{"type":"page","messageId":"ajs-next-',
    "\x00\x00\x00",
    "undefined",
)


def content_hash(event: dict[str, Any]) -> str:
    """SendGrid's dedupe key for legacy events without `sg_event_id`."""
    text = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pad(email: str, rng: Random) -> str:
    local, _, domain = email.partition("@")
    variant = rng.randrange(3)
    if variant == 0:
        return f"  {email} "
    if variant == 1:
        return f"{local.capitalize()}@{domain.upper()}"
    return f" {local.upper()}@{domain}\t"


def _copy(rec: Rec, fault: str, expected: str) -> Rec:
    return Rec(
        rec.source,
        rec.entity,
        rec.source_record_id,
        rec.person_id,
        fault,
        expected,
        None,
        rec.is_test,
    )


def _quarantine(rec: Rec, fault: str) -> None:
    rec.fault, rec.expected, rec.touch = fault, "quarantined", None


class Dirt:
    """Applies faults when `enabled`; otherwise passes rows through untouched."""

    def __init__(self, rng: Random, enabled: bool, world: World) -> None:
        self.rng = rng
        self.enabled = enabled
        self.world = world

    # -- web ---------------------------------------------------------------------------------
    def web(self, chunk: Chunk) -> None:
        if not self.enabled:
            return
        rng, world = self.rng, self.world
        last_day = day_string(world.end // DAY)
        extra: list[WebRow] = []
        for index, (day, at, seq, payload, rec) in enumerate(chunk.web):
            if rec.is_test:
                continue
            roll = rng.random()
            if payload["type"] == "identify":
                if roll < 0.08:
                    payload["traits"]["email"] = _pad(payload["traits"]["email"], rng)
                    rec.fault = "padded_email"
                elif roll < 0.1:
                    extra.append(
                        (
                            day,
                            at + rng.randrange(1_000, 90_000),
                            seq,
                            payload,
                            _copy(rec, "duplicate", "duplicate"),
                        )
                    )
                continue
            if roll < 0.015:
                later = at + rng.randrange(1_000, 120_000)
                extra.append((day, later, seq, payload, _copy(rec, "duplicate", "duplicate")))
            elif roll < 0.022:
                late_day = at // DAY + rng.randrange(2, 6)
                if day_string(late_day) <= last_day:
                    received = late_day * DAY + rng.randrange(0, 20 * HOUR)
                    payload["receivedAt"] = iso_z(received)
                    payload["sentAt"] = iso_z(received - 500)
                    rec.fault = "late"
                    chunk.web[index] = (day_string(late_day), received, seq, payload, rec)
            elif roll < 0.027:
                skewed = at + rng.randrange(DAY, 3 * DAY)
                payload["timestamp"] = iso_z(skewed)
                payload["originalTimestamp"] = iso_offset(skewed, 0)
                rec.fault = "future_timestamp"
                if rec.touch is not None:
                    rec.touch.occurred_at = iso_z(skewed)
            elif roll < 0.031:
                del payload["messageId"]
                rec.source_record_id = ""
                _quarantine(rec, "missing_field")
            elif roll < 0.034:
                payload["timestamp"] = "yesterday"
                _quarantine(rec, "wrong_type")
            elif roll < 0.036:
                payload.pop("anonymousId", None)
                payload["userId"] = None
                _quarantine(rec, "missing_field")
            elif roll < 0.1 and payload["type"] == "page":
                self._vary_page_fields(payload)
            roll = rng.random()
            if roll < 0.003:
                extra.append(
                    (
                        day,
                        at + 1,
                        seq,
                        rng.choice(_GARBAGE_LINES),
                        Rec("web", "event", "", "", "not_json", "quarantined"),
                    )
                )
            elif roll < 0.007 and "anonymousId" in payload:
                event = self._unsupported(payload)
                rec = Rec(
                    "web",
                    "event",
                    event["messageId"],
                    rec.person_id,
                    "unsupported_event",
                    "filtered",
                )
                extra.append((day, at + 2, seq, event, rec))
        chunk.web.extend(extra)

    def _vary_page_fields(self, payload: dict[str, Any]) -> None:
        """Vendor variation, not a fault: the path comes from another field."""
        properties = payload["properties"]
        variant = self.rng.randrange(3)
        if variant == 0:
            del properties["path"]
        elif variant == 1:
            del properties["path"]
            del payload["context"]["page"]["path"]
        elif properties["path"] == "/":
            properties["path"] = ""

    def _unsupported(self, payload: dict[str, Any]) -> dict[str, Any]:
        kind = self.rng.choice(("screen", "group", "alias"))
        event = {
            "anonymousId": payload["anonymousId"],
            "messageId": f"ajs-next-{self.rng.getrandbits(128):032x}",
            "timestamp": payload["timestamp"],
            "receivedAt": payload["receivedAt"],
            "sentAt": payload["sentAt"],
            "type": kind,
            "userId": payload.get("userId"),
        }
        if kind == "screen":
            event["name"] = "Dashboard"
        elif kind == "group":
            event["groupId"] = f"grp_{self.rng.randrange(10_000)}"
            event["traits"] = {"name": "Workspace"}
        else:
            event["previousId"] = payload["anonymousId"]
        return event

    # -- email -------------------------------------------------------------------------------
    def email(self, chunk: Chunk) -> None:
        rng, world = self.rng, self.world
        if not self.enabled:
            return
        extra: list[Row] = []
        for index, (at, seq, event, rec) in enumerate(chunk.email):
            if rec.is_test:
                continue
            roll = rng.random()
            if roll < 0.015:
                extra.append(
                    (
                        at + rng.randrange(MINUTE, 30 * MINUTE),
                        seq,
                        event,
                        _copy(rec, "duplicate", "duplicate"),
                    )
                )
            elif roll < 0.045:
                del event["sg_event_id"]
                rec.source_record_id = content_hash(event)
                if rng.random() < 0.35:
                    extra.append(
                        (
                            at + rng.randrange(MINUTE, 30 * MINUTE),
                            seq,
                            event,
                            _copy(rec, "duplicate", "duplicate"),
                        )
                    )
            elif roll < 0.065:
                event["timestamp"] = str(event["timestamp"])
                rec.fault = "wrong_type"
            elif roll < 0.068:
                event["timestamp"] = "yesterday"
                _quarantine(rec, "wrong_type")
            elif roll < 0.071:
                del event["email"]
                _quarantine(rec, "missing_field")
            elif roll < 0.091:
                event["email"] = _pad(event["email"], rng)
                rec.fault = "padded_email"
            elif roll < 0.101:
                arrival = at + rng.randrange(2 * DAY, 5 * DAY)
                if arrival <= world.end:
                    rec.fault = "late"
                    chunk.email[index] = (arrival, seq, event, rec)
            elif roll < 0.106:
                skewed = event["timestamp"] + rng.randrange(DAY // 1000, 3 * DAY // 1000)
                event["timestamp"] = skewed
                rec.fault = "future_timestamp"
                if rec.touch is not None:
                    rec.touch.occurred_at = iso_z(skewed * 1000)
        for _ in range(rng.randrange(0, 3)):
            at = world.start + int(rng.random() * (world.last_activity - world.start))
            event = account_event(rng, at)
            extra.append(
                (
                    at,
                    chunk.next_seq(),
                    event,
                    Rec(
                        "email", "event", event["sg_event_id"], "", "unsupported_event", "filtered"
                    ),
                )
            )
        chunk.email.extend(extra)

    # -- versioned sources (support, social, crm) --------------------------------------------
    def versioned(
        self,
        rows: list[Row],
        corrupt: tuple[tuple[str, str, Any], ...],
        duplicate_rate: float = 0.015,
        older_rate: float = 0.02,
    ) -> None:
        """Re-exports of the latest version, re-deliveries of an older one, corrupted copies.

        `corrupt` = options of (fault, field path 'a.b', replacement or MISSING), applied to a
        copy of a loaded row placed after it, which the pipeline must quarantine.
        """
        if not self.enabled:
            return
        rng = self.rng
        extra: list[Row] = []
        latest_at: dict[str, int] = {}
        for at, _, _, rec in rows:
            if rec.expected == "loaded":
                latest_at[rec.source_record_id] = at
        for at, seq, payload, rec in rows:
            if rec.is_test or rec.fault:
                continue
            later = latest_at.get(rec.source_record_id, at) + rng.randrange(MINUTE, 6 * HOUR)
            roll = rng.random()
            if rec.expected == "loaded":
                if roll < duplicate_rate:
                    extra.append((later, seq, payload, _copy(rec, "duplicate", "duplicate")))
                elif corrupt and roll < duplicate_rate + 0.008:
                    fault, path, value = rng.choice(corrupt)
                    broken = _replaced(payload, path, value)
                    extra.append((later, seq, broken, _copy(rec, fault, "quarantined")))
            elif rec.expected == "superseded" and roll < older_rate:
                extra.append((later, seq, payload, _copy(rec, "older_version", "superseded")))
        rows.extend(extra)

    def pad_email(self) -> bool:
        return self.enabled and self.rng.random() < 0.03

    def padded(self, email: str) -> str:
        return _pad(email, self.rng)

    def in_place(self, rows: list[Row], faults: tuple[tuple[float, str, str, Any], ...]) -> None:
        """Event-like rows (responses, tasks): quarantine some in place, duplicate some."""
        if not self.enabled:
            return
        rng = self.rng
        extra: list[Row] = []
        for index, (at, seq, payload, rec) in enumerate(rows):
            if rec.is_test or rec.fault or rec.expected != "loaded":
                continue
            roll = rng.random()
            if roll < 0.012:
                extra.append(
                    (
                        at + rng.randrange(MINUTE, 6 * HOUR),
                        seq,
                        payload,
                        _copy(rec, "duplicate", "duplicate"),
                    )
                )
                continue
            threshold = 0.012
            for rate, fault, path, value in faults:
                threshold += rate
                if roll < threshold:
                    rows[index] = (at, seq, _replaced(payload, path, value), rec)
                    _quarantine(rec, fault)
                    break
        rows.extend(extra)

    def organization_reactions(self, chunk: Chunk) -> None:
        if not self.enabled:
            return
        rng, world = self.rng, self.world
        for _ in range(rng.randrange(1, 4)):
            post = world.posts[rng.randrange(len(world.posts))]
            actor = f"urn:li:organization:{rng.randrange(1_000_000, 99_999_999)}"
            at = min(post.published + rng.randrange(HOUR, 3 * DAY), world.last_activity)
            reaction_id = f"urn:li:reaction:({actor},{post.urn})"
            payload = {
                "id": reaction_id,
                "reactionType": "LIKE",
                "root": post.urn,
                "created": {"actor": actor, "time": at},
                "lastModified": {"actor": actor, "time": at},
            }
            rec = Rec("social", "reaction", reaction_id, "", "organization_actor", "filtered")
            chunk.reactions.append((at, chunk.next_seq(), payload, rec))

    # -- booth -------------------------------------------------------------------------------
    def scans(self, rows: list[Row]) -> None:
        if not self.enabled:
            return
        rng = self.rng
        for _, _, row, rec in rows:
            if rec.is_test:
                continue
            roll = rng.random()
            if roll < 0.008:
                row[1] = ""
                row[2] = ""
                _quarantine(rec, "missing_field")
            elif roll < 0.013:
                row[7] = "yesterday"
                _quarantine(rec, "wrong_type")
            elif roll < 0.053 and row[2]:
                row[2] = _pad(row[2], rng)
                rec.fault = "padded_email"
            if rng.random() < 0.05:
                row[10] = "Met at the booth,\nfollow up next week"

    def csv_format(self) -> tuple[bool, bool, int]:
        """(UTF-8 BOM, CRLF line ends, blank trailing lines) of one booth file."""
        if not self.enabled:
            return False, False, 0
        rng = self.rng
        return rng.random() < 0.5, rng.random() < 0.6, rng.choice((0, 0, 1, 3))

    def truncated_tail(self, relative: str, lines: int) -> tuple[str, Rec] | None:
        """Maybe end a closing web part with a truncated gzip member holding one more event."""
        if not self.enabled or self.rng.random() >= 0.06:
            return None
        line = json.dumps(
            {
                "type": "page",
                "messageId": f"ajs-next-{self.rng.getrandbits(128):032x}",
                "anonymousId": "00000000-0000-4000-a000-000000000000",
                "timestamp": "2026-01-01T00:00:00.000Z",
                "properties": {"path": "/"},
            }
        )
        return line + "\n", Rec("web", "event", "", "", "truncated_gzip", "quarantined")

    def empty_file(self, chance: float) -> bool:
        return self.enabled and self.rng.random() < chance

    def deleted_ticket(self) -> bool:
        return self.enabled and self.rng.random() < 0.04

    def test_people(self, persons: int) -> int:
        """How many QA identities a chunk of `persons` persons carries."""
        if not self.enabled:
            return 0
        expected = persons * 0.01
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)


MISSING: Any = object()


def _replaced(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `payload` with the dotted `path` set to `value` (or removed for MISSING)."""
    result = dict(payload)
    keys = path.split(".")
    node = result
    for key in keys[:-1]:
        node[key] = dict(node[key])
        node = node[key]
    if value is MISSING:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value
    return result
