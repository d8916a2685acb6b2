"""Masking personal data where it does not belong: `j***@example.com` (pure).

The one masker of the code location: asset previews (`assets/table_metadata.py`), log lines
(`EmailMaskingFilter`) and anything else that shows a value to a person who should not see it.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
MASK = "•••"


def mask_email(value: str) -> str:
    """`jules@example.com` -> `j***@example.com`; a value that is not an address -> `•••`."""
    match = EMAIL.fullmatch(value.strip())
    return f"{match.group(1)}***@{match.group(2)}" if match else MASK


def mask_emails_in(text: str) -> str:
    """Every address inside a text masked (`mailto:j***@x.com`), the rest left as is."""
    return EMAIL.sub(lambda match: f"{match.group(1)}***@{match.group(2)}", text)


class EmailMaskingFilter(logging.Filter):
    """A logging filter that masks every address of a record's message before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_emails_in(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_masking(logger: logging.Logger | None = None) -> None:
    """Mask addresses in every handler of the logger (the root logger by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, EmailMaskingFilter) for f in handler.filters):
            handler.addFilter(EmailMaskingFilter())


# Pseudonymous BI exports (LEADSCORE_PSEUDONYMIZE_EXPORTS): addresses and keys become their
# SHA-256 (of the trimmed lower-case value, so BI tools can still join on them), names and
# other direct identifiers are left out.
HASHED_EXPORT_COLUMN = re.compile(r"(^|_)(email|email_address|alias_email|key_value)$")
DROPPED_EXPORT_COLUMN = re.compile(r"(^|_)(first_name|last_name|name|phone|ip|raw|user_agent)$")


def pseudonymized_select(columns: list[str]) -> str:
    """The select list of a pseudonymous export of a table with these columns."""
    parts = []
    for column in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        if HASHED_EXPORT_COLUMN.search(column):
            parts.append(f"sha256(lower(trim(cast({quoted} as varchar)))) as {quoted}")
        elif not DROPPED_EXPORT_COLUMN.search(column):
            parts.append(quoted)
    return ", ".join(parts)
