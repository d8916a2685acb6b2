"""The identifiers of one person and how rows that hold them are recognized (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ingestion.suppression import normalize_identifier

# Characters an identifier continues with: a match must not sit inside a longer token, so
# `j@x.com` does not erase `aj@x.com` and Zendesk user 37 does not erase user 370.
_WORD = "a-z0-9_@+%\\-"
REDACTED = "[erased]"


@dataclass(frozen=True)
class Identifier:
    key_type: str  # email, anonymous_id, zendesk_user_id, person_urn, crm_lead_id, lead_id, ...
    value: str  # normalized (trimmed, lower case)


@dataclass(frozen=True)
class Person:
    """Who an erasure request is about: the lead (None when no mart knows them) and every key."""

    lead_id: str | None
    identifiers: tuple[Identifier, ...]
    # Their source rows' own ids (a LinkedIn response id ties its answers to it): erased
    # with the person, but not suppressed (not a key a later record names them by).
    record_ids: tuple[str, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(sorted({identifier.value for identifier in self.identifiers}))

    @property
    def erased_values(self) -> tuple[str, ...]:
        return tuple(sorted({*self.values, *(normalize_identifier(r) for r in self.record_ids)}))


def person_from_keys(
    lead_id: str | None,
    keys: Iterable[tuple[str, str | None]],
    record_ids: Iterable[str] = (),
) -> Person:
    """The person with each (key type, value) normalized once; blank and repeated keys dropped."""
    seen: dict[str, Identifier] = {}
    for key_type, value in keys:
        if value is None or not str(value).strip():
            continue
        normalized = normalize_identifier(str(value))
        seen.setdefault(normalized, Identifier(key_type, normalized))
    identifiers = tuple(sorted(seen.values(), key=lambda i: (i.key_type, i.value)))
    return Person(lead_id, identifiers, tuple(sorted(set(record_ids))))


def spellings(value: str) -> set[str]:
    """The ways a value is written in stored text: as is and URL-encoded (`j%40x.com`)."""
    return {value, quote(value, safe="").lower(), quote(value, safe="@").lower()}


def match_pattern(values: Iterable[str]) -> str:
    """An RE2 pattern matching any of the values as a whole token of lower-cased text.

    A trailing dot is allowed after a value (`write to j@x.com.`), a dot and more word
    characters are not (`j@x.co` is not `j@x.co.uk`).
    """
    alternatives = sorted({re.escape(s) for value in values for s in spellings(value)}, key=len)
    body = "|".join(reversed(alternatives))
    return f"(^|[^{_WORD}.])({body})($|[^{_WORD}.]|\\.($|[^{_WORD}]))"


def numeric_values(values: Iterable[str]) -> list[int]:
    """The values that are integers (Zendesk user ids): matched against integer id columns."""
    return sorted({int(value) for value in values if value.isdigit() and len(value) < 19})


def redact(text: str, values: Iterable[str]) -> str:
    """The text with every occurrence (any case) of the values replaced by `[erased]`."""
    redacted = text
    written = {spelling for value in values for spelling in spellings(value)}
    for spelling in sorted(written, key=len, reverse=True):
        redacted = re.sub(re.escape(spelling), REDACTED, redacted, flags=re.IGNORECASE)
    return redacted
