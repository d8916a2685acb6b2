"""Segment HTTP Tracking API requests: auth, shapes, limits (pure, no server)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from collector.segment_requests import (
    MAX_BATCH_BYTES,
    MAX_CALL_BYTES,
    RequestRejected,
    parse_segment_request,
    write_key_matches,
)

RECEIVED = datetime(2026, 7, 1, 12, 30, 0, tzinfo=UTC)


def basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_write_key_is_the_basic_auth_user_name() -> None:
    assert write_key_matches(basic("wk_123"), "wk_123")
    assert write_key_matches(basic("wk_123", "ignored"), "wk_123")
    assert not write_key_matches(basic("wk_124"), "wk_123")
    assert not write_key_matches(basic(""), "wk_123")
    assert not write_key_matches("Bearer wk_123", "wk_123")
    assert not write_key_matches("Basic not-base64!", "wk_123")
    assert not write_key_matches(None, "wk_123")


def test_single_call_takes_the_endpoint_type_and_receive_time() -> None:
    body = json.dumps({"messageId": "m1", "anonymousId": "a1", "event": "Demo Requested"})
    calls = parse_segment_request("track", body.encode(), RECEIVED).calls
    assert calls == [
        {
            "messageId": "m1",
            "anonymousId": "a1",
            "event": "Demo Requested",
            "type": "track",
            "receivedAt": "2026-07-01T12:30:00Z",
            "timestamp": "2026-07-01T12:30:00Z",  # none sent: Segment uses the receive time
        }
    ]


def test_a_sent_timestamp_is_kept() -> None:
    body = json.dumps({"messageId": "m1", "userId": "u1", "timestamp": "2026-06-30T08:00:00Z"})
    (call,) = parse_segment_request("page", body.encode(), RECEIVED).calls
    assert call["timestamp"] == "2026-06-30T08:00:00Z"
    assert call["type"] == "page"


def test_batch_calls_share_its_context_and_keep_their_own_type() -> None:
    body = {
        "batch": [
            {"type": "identify", "messageId": "m1", "anonymousId": "a1", "traits": {}},
            {"type": "page", "messageId": "m2", "anonymousId": "a1", "context": {"ip": "9.9.9.9"}},
        ],
        "context": {"ip": "1.2.3.4"},
        "sentAt": "2026-07-01T12:29:59Z",
    }
    calls = parse_segment_request("batch", json.dumps(body).encode(), RECEIVED).calls
    assert [call["type"] for call in calls] == ["identify", "page"]
    assert calls[0]["context"] == {"ip": "1.2.3.4"}
    assert calls[1]["context"] == {"ip": "9.9.9.9"}  # a call's own context wins
    assert all(call["receivedAt"] == "2026-07-01T12:30:00Z" for call in calls)


def test_a_call_breaking_the_contract_still_lands_for_ingestion_to_quarantine() -> None:
    body = json.dumps({"batch": [{"anonymousId": "a1"}]})  # no type, no messageId
    (call,) = parse_segment_request("batch", body.encode(), RECEIVED).calls
    assert call["type"] is None
    assert "messageId" not in call


@pytest.mark.parametrize(
    ("call_type", "body", "status", "reason"),
    [
        ("track", b"{bad", 400, "invalid JSON: Expecting property name"),
        ("track", b"[1, 2]", 400, "body must be a JSON object"),
        ("track", b"\xff\xfe", 400, "body is not UTF-8"),
        ("batch", b'{"batch": {}}', 400, "batch must be a JSON array"),
        ("batch", b'{"batch": [1]}', 400, "batch[0] is not a JSON object"),
        ("track", b"{" + b" " * MAX_CALL_BYTES + b"}", 413, f"body over {MAX_CALL_BYTES}"),
        ("batch", b"{" + b" " * MAX_BATCH_BYTES + b"}", 413, f"body over {MAX_BATCH_BYTES}"),
    ],
)
def test_bad_requests_are_refused_with_their_reason(
    call_type: str, body: bytes, status: int, reason: str
) -> None:
    with pytest.raises(RequestRejected) as refused:
        parse_segment_request(call_type, body, RECEIVED)
    assert refused.value.status == status
    assert refused.value.reason.startswith(reason)


def test_a_batch_call_over_32kb_is_refused() -> None:
    big = {"type": "track", "messageId": "m1", "properties": {"x": "y" * MAX_CALL_BYTES}}
    body = json.dumps({"batch": [{"type": "page", "messageId": "m0"}, big]}).encode()
    assert len(body) < MAX_BATCH_BYTES
    with pytest.raises(RequestRejected, match=r"batch\[1\] over 32768 bytes"):
        parse_segment_request("batch", body, RECEIVED)
