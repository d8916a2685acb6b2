"""Instants as integer epoch milliseconds (UTC) and their vendor spellings.

Integers keep the generator fast and exact; formatting goes through a per-day cache instead of
`datetime` objects, which dominate the cost when millions of events are written.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from random import Random

MINUTE = 60_000
HOUR = 3_600_000
DAY = 86_400_000
_EPOCH = date(1970, 1, 1)


@lru_cache(maxsize=8192)
def day_string(day_number: int) -> str:
    """`YYYY-MM-DD` of a day counted from 1970-01-01."""
    return (_EPOCH + timedelta(days=day_number)).isoformat()


def day_start_ms(day: date) -> int:
    """Epoch milliseconds of 00:00 UTC on `day`."""
    return (day - _EPOCH).days * DAY


# "HH:MM:SS" of every second of a day: formatting is the hot path of the generator.
_CLOCK = tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400))


def _clock_parts(ms: int) -> tuple[str, int, int, int, int]:
    day_number, rest = divmod(ms, DAY)
    seconds, millis = divmod(rest, 1000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return day_string(day_number), hours, minutes, seconds, millis


def iso_z(ms: int) -> str:
    """`2026-06-29T10:00:00.123Z` (Segment, ground truth)."""
    day_number, rest = divmod(ms, DAY)
    seconds, millis = divmod(rest, 1000)
    return f"{day_string(day_number)}T{_CLOCK[seconds]}.{millis:03d}Z"


def _offset_suffix(offset_minutes: int, colon: bool) -> str:
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}" if colon else f"{sign}{hours:02d}{minutes:02d}"


def iso_offset(ms: int, offset_minutes: int, *, millis: bool = True) -> str:
    """The same instant as local time with a UTC offset: `2026-06-29T12:00:00.123+02:00`."""
    day, h, m, s, milli = _clock_parts(ms + offset_minutes * MINUTE)
    fraction = f".{milli:03d}" if millis else ""
    return f"{day}T{h:02d}:{m:02d}:{s:02d}{fraction}{_offset_suffix(offset_minutes, True)}"


def iso_seconds_z(ms: int) -> str:
    """`2026-06-29T10:00:00Z` (Zendesk)."""
    day, h, m, s, _ = _clock_parts(ms)
    return f"{day}T{h:02d}:{m:02d}:{s:02d}Z"


def salesforce_datetime(ms: int) -> str:
    """`2026-06-29T10:00:00.000+0000` (Salesforce REST)."""
    day, h, m, s, milli = _clock_parts(ms)
    return f"{day}T{h:02d}:{m:02d}:{s:02d}.{milli:03d}+0000"


def date_string(ms: int) -> str:
    """`YYYY-MM-DD` of an instant (UTC)."""
    return day_string(ms // DAY)


def sample_poisson(rng: Random, mean: float) -> int:
    """Poisson draw by inversion (means here stay small, so this is fast)."""
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
