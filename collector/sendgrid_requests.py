"""SendGrid Event Webhook requests, parsed and (when a public key is set) verified.

Signed Event Webhook: SendGrid signs `timestamp + raw body` with ECDSA P-256 / SHA-256 and
sends the base64 DER signature and the timestamp in two headers; the public key it shows in
its settings is a base64 DER SubjectPublicKeyInfo.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from collector.segment_requests import RequestRejected, parse_json_body

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
# SendGrid posts batches of events; a few MB at most. Larger bodies are refused unread.
MAX_WEBHOOK_BYTES = 5 * 1024 * 1024


class PublicKeyError(ValueError):
    """LEADSCORE_SENDGRID_PUBLIC_KEY is not a base64 EC public key."""


def load_sendgrid_public_key(text: str) -> ec.EllipticCurvePublicKey:
    """The verification key as SendGrid shows it (base64 DER, PEM armour optional)."""
    body = "".join(line for line in text.strip().splitlines() if "PUBLIC KEY" not in line)
    try:
        key = load_der_public_key(base64.b64decode(body, validate=True))
    except (binascii.Error, ValueError) as error:
        raise PublicKeyError(f"not a base64 DER public key: {error}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise PublicKeyError("not an elliptic-curve public key")
    return key


def signature_is_valid(
    key: ec.EllipticCurvePublicKey, body: bytes, signature: str | None, timestamp: str | None
) -> bool:
    """Whether `signature` signs `timestamp + body` under `key`."""
    if not signature or not timestamp:
        return False
    try:
        key.verify(
            base64.b64decode(signature, validate=True),
            timestamp.encode("utf-8") + body,
            ec.ECDSA(hashes.SHA256()),
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def parse_sendgrid_request(
    body: bytes,
    signature: str | None,
    timestamp: str | None,
    key: ec.EllipticCurvePublicKey | None,
) -> list[Any]:
    """The events of a webhook request: 401 on a bad signature (when a key is set), 400 on a
    body that is not a JSON array. Each event is checked by ingestion, like a file's."""
    if len(body) > MAX_WEBHOOK_BYTES:
        raise RequestRejected(413, f"body over {MAX_WEBHOOK_BYTES} bytes")
    if key is not None and not signature_is_valid(key, body, signature, timestamp):
        raise RequestRejected(401, "missing or invalid SendGrid signature")
    document = parse_json_body(body)
    if not isinstance(document, list):
        raise RequestRejected(400, "body must be a JSON array of events")
    return document
