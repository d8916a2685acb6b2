"""SendGrid signed Event Webhook: SendGrid's own published test vector (sendgrid-python,
test/unit/test_eventwebhook.py), then tampering with each part of it."""

from __future__ import annotations

import json

import pytest

from collector.segment_requests import RequestRejected
from collector.sendgrid_requests import (
    PublicKeyError,
    load_sendgrid_public_key,
    parse_sendgrid_request,
    signature_is_valid,
)

PUBLIC_KEY = (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRq"
    "e62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="
)
OTHER_KEY = (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8"
    "REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA=="
)
SIGNATURE = (
    "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15"
    "TluLtEZtM="
)
TIMESTAMP = "1600112502"
EVENTS = [
    {
        "email": "hello@world.com",
        "event": "dropped",
        "reason": "Bounced Address",
        "sg_event_id": "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA",
        "sg_message_id": (
            "LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0"
        ),
        "smtp-id": "<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>",
        "timestamp": 1600112492,
    }
]
# The exact bytes SendGrid signed, trailing CRLF included.
PAYLOAD = (json.dumps(EVENTS, sort_keys=True, separators=(",", ":")) + "\r\n").encode()


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
