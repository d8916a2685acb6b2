"""The salt of the suppression hashes: LEADSCORE_PRIVACY_SALT, or generated once.

Without the setting, a random 32-byte salt is written beside the warehouse
(`<warehouse>_privacy_salt`, mode 0600) the first time it is needed and read from there
afterwards. Losing it makes the suppression list unmatchable: back it up with the warehouse.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from orchestration.settings import Settings


def suppression_salt(settings: Settings, create: bool = True) -> bytes | None:
    """The salt bytes; None when none exists yet and `create` is false (nothing erased)."""
    if settings.privacy_salt:
        return settings.privacy_salt.encode("utf-8")
    path = settings.privacy_salt_path
    if path.is_file():
        return path.read_text(encoding="utf-8").strip().encode("utf-8")
    if not create:
        return None
    return _write_new_salt(path)


def _write_new_salt(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(salt + "\n")
    return salt.encode("utf-8")
