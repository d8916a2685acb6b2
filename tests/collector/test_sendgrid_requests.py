"""SendGrid signed Event Webhook: SendGrid's own published test vector (sendgrid-python,
test/unit/test_eventwebhook.py), then tampering with each part of it."""

from __future__ import annotations

import pytest
from sendgrid_vector import EVENTS, OTHER_KEY, PAYLOAD, PUBLIC_KEY, SIGNATURE, TIMESTAMP

from collector.segment_requests import RequestRejected
from collector.sendgrid_requests import (
    PublicKeyError,
    load_sendgrid_public_key,
    parse_sendgrid_request,
    signature_is_valid,
)


def test_sendgrids_test_vector_verifies() -> None:
    key = load_sendgrid_public_key(PUBLIC_KEY)
    assert signature_is_valid(key, PAYLOAD, SIGNATURE, TIMESTAMP)
    assert parse_sendgrid_request(PAYLOAD, SIGNATURE, TIMESTAMP, key) == EVENTS


@pytest.mark.parametrize(
    ("key_text", "payload", "signature", "timestamp"),
    [
        (OTHER_KEY, PAYLOAD, SIGNATURE, TIMESTAMP),  # another account's key
        (PUBLIC_KEY, PAYLOAD.replace(b"dropped", b"dropper"), SIGNATURE, TIMESTAMP),
        (PUBLIC_KEY, PAYLOAD, SIGNATURE, "1600112503"),  # a replay with a new timestamp
        (PUBLIC_KEY, PAYLOAD, SIGNATURE[:-8] + "AAAAAAA=", TIMESTAMP),
        (PUBLIC_KEY, PAYLOAD, "not base64!", TIMESTAMP),
        (PUBLIC_KEY, PAYLOAD, None, TIMESTAMP),
        (PUBLIC_KEY, PAYLOAD, SIGNATURE, None),
    ],
)
def test_anything_tampered_is_refused_with_401(
    key_text: str, payload: bytes, signature: str | None, timestamp: str | None
) -> None:
    key = load_sendgrid_public_key(key_text)
    with pytest.raises(RequestRejected) as refused:
        parse_sendgrid_request(payload, signature, timestamp, key)
    assert refused.value.status == 401


def test_without_a_key_signatures_are_not_checked() -> None:
    assert parse_sendgrid_request(PAYLOAD, None, None, None) == EVENTS


def test_a_body_that_is_not_an_array_is_a_400() -> None:
    with pytest.raises(RequestRejected, match="JSON array") as refused:
        parse_sendgrid_request(b'{"event": "open"}', None, None, None)
    assert refused.value.status == 400


def test_a_pem_armoured_key_loads_and_garbage_does_not() -> None:
    pem = f"-----BEGIN PUBLIC KEY-----\n{PUBLIC_KEY}\n-----END PUBLIC KEY-----\n"
    assert signature_is_valid(load_sendgrid_public_key(pem), PAYLOAD, SIGNATURE, TIMESTAMP)
    with pytest.raises(PublicKeyError):
        load_sendgrid_public_key("not a key")
