"""What each endpoint of `leadscore serve` does: a request in, a `Reply` out.

Independent of the HTTP plumbing (`http_server.py`), so every route can be exercised
without sockets. Parsing lives in `segment_requests.py` and `sendgrid_requests.py`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cryptography.hazmat.primitives.asymmetric import ec

from collector.landing_writer import land_segment_calls, land_sendgrid_events
from collector.score_reads import ScoreSnapshot, ScoresNotPublishedError
from collector.segment_requests import (
    SINGLE_CALL_TYPES,
    RequestRejected,
    max_body_bytes,
    parse_segment_request,
    write_key_matches,
)
from collector.sendgrid_requests import (
    MAX_WEBHOOK_BYTES,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    parse_sendgrid_request,
)

log = logging.getLogger("leadscore.serve")

SEGMENT_PREFIX = "/v1/"
SENDGRID_PATH = "/webhooks/sendgrid"
LEADS_PREFIX = "/v1/leads/"
HEALTH_PATH = "/healthz"


@dataclass(frozen=True)
class Reply:
    status: int
    body: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return json.dumps(self.body, default=str).encode("utf-8")


@dataclass
class CollectorApp:
    """The collector's state: where to land, how to authenticate, where scores are read."""

    landing_dir: Path
    write_key: str
    sendgrid_key: ec.EllipticCurvePublicKey | None
    scores: ScoreSnapshot
    on_landed: Callable[[], None] = lambda: None  # wakes the micro-batch loop
    health: Callable[[], Mapping[str, Any]] = lambda: {}
    clock: Callable[[], datetime] = lambda: datetime.now(tz=UTC)

    def body_limit(self, path: str) -> int | None:
        """The largest body a POST to `path` may send (None: unknown path)."""
        if path == SENDGRID_PATH:
            return MAX_WEBHOOK_BYTES
        call_type = _segment_call_type(path)
        return None if call_type is None else max_body_bytes(call_type)

    def post(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            if path == SENDGRID_PATH:
                return self._sendgrid(headers, body)
            call_type = _segment_call_type(path)
            if call_type is None:
                return Reply(404, {"error": "no such endpoint"})
            return self._segment(call_type, headers, body)
        except RequestRejected as rejected:
            extra = (
                {"WWW-Authenticate": 'Basic realm="leadscore"'} if rejected.status == 401 else {}
            )
            return Reply(rejected.status, {"error": rejected.reason}, extra)

    def get(self, path: str) -> Reply:
        if path == HEALTH_PATH:
            return Reply(200, {"status": "ok", **self.health()})
        if path.startswith(LEADS_PREFIX) and len(path) > len(LEADS_PREFIX):
            return self._lead(unquote(path[len(LEADS_PREFIX) :]))
        return Reply(404, {"error": "no such endpoint"})

    def _segment(self, call_type: str, headers: Mapping[str, str], body: bytes) -> Reply:
        if not write_key_matches(headers.get("Authorization"), self.write_key):
            raise RequestRejected(401, "missing or wrong write key (Basic auth user name)")
        received_at = self.clock()
        calls = parse_segment_request(call_type, body, received_at).calls
        if calls:
            land_segment_calls(self.landing_dir, calls, received_at)
            self.on_landed()
        log.info("accepted %d Segment call(s) on /v1/%s", len(calls), call_type)
        return Reply(200, {"success": True})

    def _sendgrid(self, headers: Mapping[str, str], body: bytes) -> Reply:
        events = parse_sendgrid_request(
            body, headers.get(SIGNATURE_HEADER), headers.get(TIMESTAMP_HEADER), self.sendgrid_key
        )
        if events:
            land_sendgrid_events(self.landing_dir, events, self.clock())
            self.on_landed()
        log.info("accepted %d SendGrid event(s)", len(events))
        return Reply(200, {"success": True})

    def _lead(self, email_or_lead_id: str) -> Reply:
        try:
            row = self.scores.lead_score(email_or_lead_id)
        except ScoresNotPublishedError:
            return Reply(503, {"error": "no scores published yet"}, {"Retry-After": "10"})
        if row is None:
            return Reply(404, {"error": "no lead with that email or lead_id"})
        return Reply(200, row)


def _segment_call_type(path: str) -> str | None:
    call_type = path[len(SEGMENT_PREFIX) :] if path.startswith(SEGMENT_PREFIX) else ""
    return call_type if call_type in (*SINGLE_CALL_TYPES, "batch") else None
