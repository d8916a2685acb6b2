"""Emails and test records: normalization, the test-address patterns and their default.

`DEFAULT_TEST_EMAIL_PATTERNS` is the one definition of the default: the settings
(`LEADSCORE_TEST_EMAIL_PATTERNS`, orchestration/settings.py) read it from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Any

from ingestion.parsing.fields import Rejection, filtered

DEFAULT_TEST_EMAIL_PATTERNS: tuple[str, ...] = ("*@mailinator.com", "test+*@*", "qa+*@*")


def resolve_test_patterns(test_email_patterns: Sequence[str] | None) -> tuple[str, ...]:
    """The user's test patterns, or the defaults when none are given (an empty list disables)."""
    if test_email_patterns is None:
        return DEFAULT_TEST_EMAIL_PATTERNS
    return tuple(test_email_patterns)


def normalize_email(value: Any) -> str | None:
    """Trimmed, lower-case address; None when absent, blank or not text."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def matches_test_pattern(email: Any, patterns: Sequence[str]) -> str | None:
    """The first test pattern (glob over the whole address, case-insensitive) the email matches."""
    normalized = normalize_email(email)
    if normalized is None:
        return None
    return next((p for p in patterns if fnmatchcase(normalized, p.strip().lower())), None)


def test_email_rejection(email: Any, patterns: Sequence[str]) -> Rejection | None:
    """`filtered` rejection for a test address, else None."""
    pattern = matches_test_pattern(email, patterns)
    return None if pattern is None else filtered(f"test_record: email matches {pattern}")
