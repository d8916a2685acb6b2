"""Rejections and typed field values of raw records (None and blank strings mean "missing").

Pure: a raw value in, a typed value out, or a `FieldError` naming the field.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, ParamSpec

# Timestamps outside these years are impossible for this pipeline (epoch zero, typos, ms as s).
MIN_YEAR = 2000
MAX_YEAR = 2100

Row = dict[str, Any]
Disposition = Literal["quarantined", "filtered"]

# --------------------------------------------------------------------------------------------
# Rejections and field errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    """Why a record is not loaded: `quarantined` (broken) or `filtered` (counted, not scored)."""

    disposition: Disposition
    reason: str


def quarantined(reason: str) -> Rejection:
    return Rejection("quarantined", reason)


def filtered(reason: str) -> Rejection:
    return Rejection("filtered", reason)


class FieldError(ValueError):
    """A required field is missing, or a field holds a value of the wrong kind."""

    def __init__(self, code: Literal["missing_field", "wrong_type"], detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.rejection = quarantined(f"{code}: {detail}")


P = ParamSpec("P")


def rejects_field_errors(parse: Callable[P, Row | Rejection]) -> Callable[P, Row | Rejection]:
    """Turn a `FieldError` raised inside a parser into the `Rejection` it stands for."""

    @functools.wraps(parse)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Row | Rejection:
        try:
            return parse(*args, **kwargs)
        except FieldError as exc:
            return exc.rejection

    return wrapper


# --------------------------------------------------------------------------------------------
# Field access and typed values
# --------------------------------------------------------------------------------------------


def dig(raw: Any, path: str) -> Any:
    """Value at a dotted path of nested objects (`context.page.url`), None when absent."""
    value = raw
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def require(value: Any, field_name: str) -> Any:
    """The value itself, or `missing_field` when it is None or blank."""
    if is_missing(value):
        raise FieldError("missing_field", field_name)
    return value


def as_text(value: Any) -> str | None:
    """Any scalar as text (as given); objects and lists as compact JSON; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def as_id(value: Any, field_name: str) -> str | None:
    """A string or integer identifier as text; anything else is `wrong_type`."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise FieldError("wrong_type", f"{field_name} not a string or integer id")


_INTEGER_TEXT = re.compile(r"[+-]?\d+")
_BIGINT_LIMIT = 2**63


def as_bigint(value: Any, field_name: str) -> int | None:
    """An integer, or its decimal text (a number as a string); never through a float."""
    if is_missing(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise FieldError("wrong_type", f"{field_name} not an integer")
    if not -_BIGINT_LIMIT <= number < _BIGINT_LIMIT:
        raise FieldError("wrong_type", f"{field_name} out of BIGINT range")
    return number


def as_double(value: Any, field_name: str) -> float | None:
    if is_missing(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise FieldError("wrong_type", f"{field_name} not a number") from None
    else:
        raise FieldError("wrong_type", f"{field_name} not a number")
    if not math.isfinite(number):
        raise FieldError("wrong_type", f"{field_name} not a finite number")
    return number


def as_bool(value: Any, field_name: str) -> bool | None:
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise FieldError("wrong_type", f"{field_name} not a boolean")


def as_date(value: Any, field_name: str) -> date | None:
    """An ISO calendar date (`2026-06-29`)."""
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise FieldError("wrong_type", f"{field_name} not an ISO date")
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError("wrong_type", f"{field_name} not an ISO date") from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise FieldError("wrong_type", f"{field_name} impossible date {value}")
    return parsed


def _checked_utc(moment: datetime, field_name: str, given: Any) -> datetime:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise FieldError("wrong_type", f"{field_name} impossible timestamp {given}")
    return moment


def parse_iso_timestamp(value: Any, field_name: str) -> datetime | None:
    """ISO-8601 text (`Z`, `+02:00` or Salesforce `+0000` offsets) as an aware UTC datetime.

    A timestamp without an offset is read as UTC.
    """
    if is_missing(value):
        return None
    if not isinstance(value, str):
        raise FieldError("wrong_type", f"{field_name} not ISO-8601")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FieldError("wrong_type", f"{field_name} not ISO-8601") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Convert via the offset first, so a year check near the bounds sees the UTC value.
    return _checked_utc(moment.astimezone(UTC), field_name, value)


def _epoch_number(value: Any, field_name: str, unit: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise FieldError("wrong_type", f"{field_name} not epoch {unit}")


def _from_epoch(seconds: float, field_name: str, given: Any) -> datetime:
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise FieldError("wrong_type", f"{field_name} impossible timestamp {given}") from None
    return _checked_utc(moment, field_name, given)


def parse_epoch_seconds(value: Any, field_name: str) -> datetime | None:
    """Unix seconds (an integer or a numeric string) as an aware UTC datetime."""
    if is_missing(value):
        return None
    return _from_epoch(_epoch_number(value, field_name, "seconds"), field_name, value)


def parse_epoch_millis(value: Any, field_name: str) -> datetime | None:
    """Unix milliseconds (an integer or a numeric string) as an aware UTC datetime."""
    if is_missing(value):
        return None
    return _from_epoch(_epoch_number(value, field_name, "milliseconds") / 1000, field_name, value)
