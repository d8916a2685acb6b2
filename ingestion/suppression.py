"""Suppression: records of erased people are dropped as they are read, never stored.

`leadscore forget` keeps each erased identifier only as a salted hash (see
`orchestration/privacy`). While a channel loads, the list of those hashes is *active*
(`screening`), and `routed_rows` asks `is_suppressed(record)` once per record: a record any
of whose values or tokens hashes into the list is counted as `suppressed` in the delivery
manifest, and neither its row nor its raw text is kept. No list active (or an empty one):
nothing is hashed, so a warehouse without erasures pays nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

# A token of raw text that could be an identifier: emails, UUIDs, URNs, numeric and CRM ids.
_TOKEN = re.compile(r"[A-Za-z0-9_.@%+:\-]+")
_TRAILING_PUNCTUATION = ".:-"


def normalize_identifier(value: str) -> str:
    """The form every identifier is hashed and compared in: trimmed, lower case."""
    return value.strip().lower()


def identifier_hash(salt: bytes, value: str) -> str:
    """HMAC-SHA256 of the normalized identifier under the warehouse's salt, hex."""
    return hmac.new(salt, normalize_identifier(value).encode("utf-8"), hashlib.sha256).hexdigest()


# Keys whose integer value is a person's id (Zendesk user references). Any other number
# (a ticket id, a position) is not compared: it could equal an erased user's id by chance.
_USER_ID_KEY = re.compile(r"(^|_)(requester|submitter|assignee|user)_id$", re.IGNORECASE)


def _strings(value: Any, key: str = "", in_user: bool = False) -> Iterator[str]:
    """Every string inside a parsed JSON value or CSV row, and the integers that are user ids
    (under a user-id key, or the `id` of an object with an email: a Zendesk user)."""
    names_user = bool(_USER_ID_KEY.search(key)) or (key == "id" and in_user)
    if isinstance(value, str):
        if names_user or not value.strip().isdigit():
            yield value
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if names_user:
            yield str(value)
    elif isinstance(value, Mapping):
        is_user = "email" in value
        for item_key, item in value.items():
            yield from _strings(item, str(item_key), is_user)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, key, in_user)


def record_candidates(text: str, value: Any) -> set[str]:
    """The normalized values a record could name a person by: its whole values and the
    tokens of its raw text (an email inside a URL or a broken line still counts). Bare
    numbers of the raw text are left out (see `_USER_ID_KEY`)."""
    tokens: set[str] = set()
    for token in _TOKEN.findall(text):
        token = unquote(token).lower()
        tokens.add(token)
        tokens.add(token.rstrip(_TRAILING_PUNCTUATION))
        if ":" in token:  # `mailto:j@x.com`, `urn:li:person:abc` inside a longer token
            tokens.update(token.split(":"))
    values = {normalize_identifier(item) for item in _strings(value)}
    return values | {token for token in tokens if token and not token.isdigit()}


class ScreenedRecord(Protocol):
    """What the screen reads of a record (read-only: frozen records qualify too)."""

    @property
    def text(self) -> str: ...

    @property
    def value(self) -> Any: ...


@dataclass(frozen=True)
class SuppressionList:
    """The salted hashes of every erased identifier of one warehouse, and their salt."""

    salt: bytes
    hashes: frozenset[str]

    def matches(self, text: str, value: Any) -> bool:
        if not self.hashes:
            return False
        return any(
            identifier_hash(self.salt, candidate) in self.hashes
            for candidate in record_candidates(text, value)
        )


_active: list[SuppressionList] = []


@contextmanager
def screening(suppression: SuppressionList) -> Iterator[None]:
    """Drop records matching `suppression` while the block runs (a channel's dlt run)."""
    _active.append(suppression)
    try:
        yield
    finally:
        _active.remove(suppression)


def is_suppressed(record: ScreenedRecord) -> bool:
    """True when the record names an erased person (see the module docstring)."""
    return any(suppression.matches(record.text, record.value) for suppression in _active)


def suppressed_hashes(salt: bytes, identifiers: Iterable[str]) -> frozenset[str]:
    return frozenset(identifier_hash(salt, identifier) for identifier in identifiers)
