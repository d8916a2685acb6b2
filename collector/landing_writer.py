"""Accepted requests as landing files, written atomically before the request is answered.

A file is written under a dot-name (which ingestion skips), flushed to disk, then renamed
into place, and the folder is synced: once `land_*` returns, a crash or a restart cannot
lose the file, and ingestion never reads half of one. A retried request lands a second
file with the same event ids; the ingestion dedupe keys (`messageId`, `sg_event_id`) load
it once.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

# The channel folders and file suffixes ingestion reads (ingestion/web.py, ingestion/email.py).
WEB_FOLDER, WEB_SUFFIX = "web", ".jsonl"
EMAIL_FOLDER, EMAIL_SUFFIX = "email", ".json"


def land_segment_calls(
    landing_dir: Path, calls: Sequence[dict[str, Any]], received_at: datetime
) -> Path:
    """Segment calls as one JSON-lines file under `web/<day>/`."""
    text = "".join(json.dumps(call, ensure_ascii=False) + "\n" for call in calls)
    return _land(landing_dir / WEB_FOLDER, "collector", WEB_SUFFIX, text, received_at)


def land_sendgrid_events(landing_dir: Path, events: Sequence[Any], received_at: datetime) -> Path:
    """A SendGrid webhook batch as one JSON-array file under `email/<day>/`."""
    text = json.dumps(list(events), ensure_ascii=False)
    return _land(landing_dir / EMAIL_FOLDER, "webhook", EMAIL_SUFFIX, text, received_at)


def _land(folder: Path, prefix: str, suffix: str, text: str, received_at: datetime) -> Path:
    day_folder = folder / received_at.strftime("%Y-%m-%d")
    day_folder.mkdir(parents=True, exist_ok=True)
    # time first, so files sort in arrival order; the uuid keeps concurrent requests apart
    name = f"{prefix}-{received_at.strftime('%H%M%S%f')}-{uuid.uuid4().hex[:12]}{suffix}"
    final = day_folder / name
    partial = day_folder / f".{name}.partial"
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(final)
    _sync_folder(day_folder)
    return final


def _sync_folder(folder: Path) -> None:
    """fsync a folder so the rename itself survives a power loss."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
