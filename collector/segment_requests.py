"""Segment HTTP Tracking API requests, parsed: a request body in, the events to land out.

Pure: no I/O, no clock (the receive instant is an argument). Shapes and limits follow
Segment's HTTP API docs: one call per `/v1/track|page|identify`, an array under `batch` for
`/v1/batch` (its top-level `context` and `integrations` apply to every call in it), 32 KB per
call and 500 KB per batch request, 400 on bad JSON or a payload too large.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_CALL_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024
SINGLE_CALL_TYPES = ("track", "page", "identify")
# Top-level batch keys that Segment applies to every call in the batch.
BATCH_SHARED_KEYS = ("context", "integrations")


class RequestRejected(ValueError):
    """A request the collector answers with an error status; `reason` is safe to log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class SegmentCalls:
    """The calls of one accepted request, ready to land (one JSON object per call)."""

    calls: list[dict[str, Any]]


def max_body_bytes(call_type: str) -> int:
    """The largest request body an endpoint accepts."""
    return MAX_BATCH_BYTES if call_type == "batch" else MAX_CALL_BYTES


def write_key_matches(authorization: str | None, write_key: str) -> bool:
    """Basic auth with the write key as user name (any password), compared in constant time."""
    if not authorization or not authorization.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(authorization[len("Basic ") :], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, _, _password = decoded.partition(":")
    return hmac.compare_digest(user.encode("utf-8"), write_key.encode("utf-8"))


def parse_json_body(body: bytes) -> Any:
    """The decoded JSON of a request body, or a 400 naming what is wrong with it."""
    try:
        text = body.decode("utf-8")  # JSON over HTTP is UTF-8 (RFC 8259)
    except UnicodeDecodeError:
        raise RequestRejected(400, "body is not UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RequestRejected(
            400, f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None


def parse_segment_request(call_type: str, body: bytes, received_at: datetime) -> SegmentCalls:
    """The calls of a `/v1/<call_type>` request, stamped with `receivedAt`.

    A call keeps every field it was sent with; the contract (messageId, timestamp, ids) is
    checked by ingestion, which quarantines a call that breaks it like a file row. The
    collector only rejects what cannot be landed at all: bad JSON, a non-object, a body or
    call over Segment's size limits.
    """
    if len(body) > max_body_bytes(call_type):
        raise RequestRejected(413, f"body over {max_body_bytes(call_type)} bytes")
    document = parse_json_body(body)
    if not isinstance(document, dict):
        raise RequestRejected(400, "body must be a JSON object")
    stamp = received_at.isoformat().replace("+00:00", "Z")
    if call_type in SINGLE_CALL_TYPES:
        return SegmentCalls([_stamped_call(document, call_type, stamp)])
    if call_type != "batch":
        raise RequestRejected(404, f"unknown call type {call_type!r}")
    batch = document.get("batch")
    if not isinstance(batch, list):
        raise RequestRejected(400, "batch must be a JSON array of calls")
    shared = {key: document[key] for key in BATCH_SHARED_KEYS if key in document}
    calls: list[dict[str, Any]] = []
    for index, call in enumerate(batch):
        if not isinstance(call, dict):
            raise RequestRejected(400, f"batch[{index}] is not a JSON object")
        if len(json.dumps(call).encode("utf-8")) > MAX_CALL_BYTES:
            raise RequestRejected(413, f"batch[{index}] over {MAX_CALL_BYTES} bytes")
        with_shared = {**shared, **call}
        calls.append(_stamped_call(with_shared, call.get("type"), stamp))
    return SegmentCalls(calls)


def _stamped_call(call: Mapping[str, Any], call_type: Any, received_at: str) -> dict[str, Any]:
    """The call as landed: its type, `receivedAt`, and `timestamp` defaulting to it.

    Segment sets `timestamp` to the receive time when the caller sent none; a single-call
    endpoint decides the type, a batch call names its own.
    """
    stamped = dict(call)
    stamped["type"] = call_type
    stamped["receivedAt"] = received_at
    stamped.setdefault("timestamp", stamped.get("originalTimestamp") or received_at)
    return stamped
