"""One writer per landing format; each reports every row it writes to the truth writer.

Writers keep only small buffers: web lines go to per-day gzip parts rotated every
`WEB_PART_RECORDS` lines; JSON pages and CSV files are written whole from one chunk's rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from ingestion.generator.truth import Rec, TruthWriter

WEB_PART_RECORDS = 5_000
_FLUSH_LINES = 256
_GZIP_LEVEL = 1
BOOTH_HEADER = (
    "First Name",
    "Last Name",
    "Email Address",
    "Company",
    "Job Title",
    "Phone",
    "Country",
    "Scan Timestamp",
    "Scanned By",
    "Rating",
    "Notes",
    "Q: Timeline",
    "Q: Budget",
)


_orjson_dumps: Callable[[Any], bytes] | None
try:  # orjson ships with dlt; the stdlib encoder writes the same compact UTF-8 JSON.
    from orjson import dumps as _orjson_dumps
except ImportError:  # pragma: no cover - exercised only without orjson
    _orjson_dumps = None

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(payload: Any) -> bytes:
    """Compact JSON as UTF-8 bytes, non-ASCII characters kept (as the vendors send it)."""
    if _orjson_dumps is not None:
        return _orjson_dumps(payload)
    return _ENCODER.encode(payload).encode("utf-8")


class _DayPart:
    def __init__(self, path: Path, relative: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.relative = relative
        self.raw: IO[bytes] = path.open("wb")
        self.gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.raw, compresslevel=_GZIP_LEVEL, mtime=0
        )
        self.lines = 0
        self.buffer: list[bytes] = []

    def flush(self) -> None:
        if self.buffer:
            self.gzip.write(b"".join(self.buffer))
            self.buffer = []

    def close(self, truncated_tail: bytes | None) -> None:
        self.flush()
        self.gzip.close()
        if truncated_tail is not None:
            self.raw.write(truncated_tail)
        self.raw.close()


def truncated_member(line: str) -> bytes:
    """A gzip member holding `line`, cut before its end-of-stream marker and trailer."""
    member = gzip.compress(line.encode("utf-8"), compresslevel=_GZIP_LEVEL, mtime=0)
    return member[: max(12, len(member) // 2)]


class WebWriter:
    """`web/<YYYY-MM-DD>/part-NNNN.jsonl.gz`, one open part per day."""

    def __init__(
        self,
        landing: Path,
        truth: TruthWriter,
        tail_for: Callable[[str, int], tuple[str, Rec] | None],
    ) -> None:
        self.landing = landing
        self.truth = truth
        self._tail_for = tail_for  # decides whether a closing part gets a truncated member
        self._open: dict[str, _DayPart] = {}
        self._part_numbers: dict[str, int] = {}

    def _part(self, day: str) -> _DayPart:
        part = self._open.get(day)
        if part is None:
            number = self._part_numbers.get(day, 0) + 1
            self._part_numbers[day] = number
            relative = f"web/{day}/part-{number:04d}.jsonl.gz"
            part = _DayPart(self.landing / relative, relative)
            self._open[day] = part
        return part

    def write(self, day: str, line: bytes, rec: Rec) -> None:
        part = self._part(day)
        part.lines += 1
        part.buffer.append(line + b"\n")
        self.truth.record(part.relative, part.lines, rec)
        if len(part.buffer) >= _FLUSH_LINES:
            part.flush()
        if part.lines >= WEB_PART_RECORDS:
            self._close(day)

    def _close(self, day: str) -> None:
        part = self._open.pop(day)
        tail = self._tail_for(part.relative, part.lines)
        if tail is not None:
            line, rec = tail
            self.truth.record(part.relative, part.lines + 1, rec)
            part.close(truncated_member(line))
        else:
            part.close(None)

    def empty_part(self, day: str) -> None:
        """An extra part for `day` holding no events at all (a valid, empty gzip file)."""
        number = self._part_numbers.get(day, 0) + 1
        self._part_numbers[day] = number
        path = self.landing / f"web/{day}/part-{number:04d}.jsonl.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(b"", mtime=0))

    def days(self) -> list[str]:
        return sorted(self._part_numbers)

    def close(self) -> None:
        for day in sorted(self._open):
            self._close(day)


class PageWriter:
    """Numbered JSON files in one landing folder (`<folder>/<prefix>-NNNNNN.json`)."""

    def __init__(self, landing: Path, folder: str, prefix: str, truth: TruthWriter) -> None:
        self.landing = landing
        self.folder = folder
        self.prefix = prefix
        self.truth = truth
        self.number = 0

    def next_relative(self) -> str:
        self.number += 1
        return f"{self.folder}/{self.prefix}-{self.number:06d}.json"

    def write(self, relative: str, content: bytes, entities: Sequence[Sequence[Rec]]) -> None:
        """Write `content` and record each entity list's rows with positions index+1."""
        path = self.landing / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        for recs in entities:
            for position, rec in enumerate(recs, start=1):
                self.truth.record(relative, position, rec)

    def write_empty(self) -> None:
        path = self.landing / self.next_relative()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")


def json_array(payloads: Sequence[Any]) -> bytes:
    """A JSON array, one element per line (SendGrid webhook batch)."""
    return b"[\n" + b",\n".join(dumps(payload) for payload in payloads) + b"\n]\n"


def csv_text(rows: Sequence[Sequence[str]], *, bom: bool, crlf: bool, blank_tail: int) -> bytes:
    """An Excel-style CSV export with the booth header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(BOOTH_HEADER)
    writer.writerows(rows)
    text = buffer.getvalue() + ("\r\n" if crlf else "\n") * blank_tail
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
