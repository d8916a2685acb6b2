"""Identifier spellings of each vendor, allocated from counters so they never collide."""

from __future__ import annotations

import base64
from random import Random

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SF_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
# JSON numbers above 2**53 lose precision in float-based readers: some ids must pass it.
ABOVE_2_53 = 9_007_199_254_740_993


def base62(number: int, width: int) -> str:
    """`number` in base 62, left-padded with zeros to `width` characters."""
    chars = []
    while number:
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "".join(reversed(chars)).rjust(width, "0")


def salesforce_id(prefix: str, counter: int) -> str:
    """An 18-character Salesforce id with its case-safe checksum suffix."""
    body = f"{prefix}5g00000{base62(counter, 5)}"
    suffix = ""
    for chunk_start in range(0, 15, 5):
        bits = 0
        for offset, char in enumerate(body[chunk_start : chunk_start + 5]):
            if "A" <= char <= "Z":
                bits |= 1 << offset
        suffix += _SF_SUFFIX[bits]
    return body + suffix


class Counters:
    """Monotonic counters per id kind; generation order makes them deterministic."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, kind: str) -> int:
        value = self._next.get(kind, 0) + 1
        self._next[kind] = value
        return value


def hex_id(rng: Random, bits: int = 128) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def uuid_like(rng: Random) -> str:
    raw = f"{rng.getrandbits(128):032x}"
    return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-a{raw[17:20]}-{raw[20:]}"


def sendgrid_event_id(rng: Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()[:22]


def linkedin_person_id(index: int) -> str:
    """A 10-character LinkedIn member id, a bijection of `index` (so never repeated)."""
    return base62((index * 1_000_000_007 + 12_345_678_901) % 62**10, 10)
