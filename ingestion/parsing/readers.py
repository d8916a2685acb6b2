"""Landing files and API pages as raw records, or the fault that kept a record unreadable.

Pure apart from reading the file it is given: no dlt, no state. Which files are new is the
plumbing's business (`ingestion.plumbing.unloaded_landing_files`).
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingestion.parsing.fields import Rejection, quarantined

RAW_TEXT_LIMIT = 10_000
FILE_ENTITY = "file"
WHOLE_FILE_POSITION = 0


@dataclass(frozen=True)
class LandingFile:
    path: Path
    relative: str  # POSIX path relative to the landing dir, e.g. `web/2026-06-01/a.jsonl.gz`


@dataclass(frozen=True)
class RawRecord:
    """One record of a landing file, or the fault that kept a record (or the file) unreadable."""

    file: str
    entity: str
    position: int
    text: str
    value: Any = None
    fault: Rejection | None = None


Reader = Callable[[LandingFile], Iterator[RawRecord]]


def list_landing_files(
    landing_dir: Path, folder: str, suffixes: tuple[str, ...]
) -> list[LandingFile]:
    """Files under `landing_dir/folder` (recursively) ending in one of `suffixes`, by path."""
    root = landing_dir / folder
    if not root.is_dir():
        return []
    files = [
        LandingFile(path, path.relative_to(landing_dir).as_posix())
        for path in root.rglob("*")
        if path.is_file() and path.name.endswith(suffixes) and not path.name.startswith(".")
    ]
    return sorted(files, key=lambda landing_file: landing_file.relative)


def _file_fault(landing_file: LandingFile, reason: str, text: str) -> RawRecord:
    return RawRecord(
        landing_file.relative, FILE_ENTITY, WHOLE_FILE_POSITION, text, fault=quarantined(reason)
    )


def _json_error(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not_json: {exc.msg} line {exc.lineno} col {exc.colno}"
    return "not_json: invalid UTF-8"


def gunzip_tolerant(data: bytes) -> tuple[bytes, str | None]:
    """Decompress every gzip member; on a broken or cut member keep what came before it."""
    chunks: list[bytes] = []
    while data:
        member = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            chunks.append(member.decompress(data))
        except zlib.error as exc:
            return b"".join(chunks), f"truncated_gzip: {exc}"
        if not member.eof:
            chunks.append(member.flush())
            return b"".join(chunks), "truncated_gzip: compressed stream ends before its end marker"
        data = member.unused_data
    return b"".join(chunks), None


def read_json_lines(landing_file: LandingFile, entity: str) -> Iterator[RawRecord]:
    """JSON lines (gzip or plain); position = line number, blank lines skipped.

    A truncated gzip keeps the complete lines before the break and ends with one rejected
    record at the line where it broke.
    """
    data = landing_file.path.read_bytes()
    fault = None
    if landing_file.path.name.endswith(".gz"):
        data, fault = gunzip_tolerant(data)
    lines = data.split(b"\n")
    broken = lines.pop() if fault else b""
    for position, line in enumerate(lines, start=1):
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        if not text.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            yield RawRecord(
                landing_file.relative, entity, position, text, fault=quarantined(_json_error(exc))
            )
            continue
        yield RawRecord(landing_file.relative, entity, position, text, value)
    if fault:
        text = broken.decode("utf-8", errors="replace")
        yield RawRecord(
            landing_file.relative, entity, len(lines) + 1, text, fault=quarantined(fault)
        )


def _read_json_document(landing_file: LandingFile) -> tuple[Any, RawRecord | None]:
    data = landing_file.path.read_bytes()
    if not data.strip():
        return None, None
    try:
        return json.loads(data), None
    except ValueError as exc:
        text = data[:RAW_TEXT_LIMIT].decode("utf-8", errors="replace")
        return None, _file_fault(landing_file, _json_error(exc), text)


def _list_records(landing_file: LandingFile, items: list[Any], entity: str) -> Iterator[RawRecord]:
    for position, item in enumerate(items, start=1):
        text = json.dumps(item, ensure_ascii=False)
        yield RawRecord(landing_file.relative, entity, position, text, item)


def read_json_array(landing_file: LandingFile, entity: str) -> Iterator[RawRecord]:
    """A JSON array file; position = index + 1. An empty file yields nothing."""
    document, fault = _read_json_document(landing_file)
    if fault is not None:
        yield fault
    elif isinstance(document, list):
        yield from _list_records(landing_file, document, entity)
    elif document is not None:
        text = json.dumps(document, ensure_ascii=False)
        yield _file_fault(landing_file, "wrong_type: file not a JSON array", text)


def read_json_lists(landing_file: LandingFile, entities: Mapping[str, str]) -> Iterator[RawRecord]:
    """A JSON object page whose lists (`{"tickets": [...]}`) hold records of the given entities.

    `entities` maps each list key to its entity; position = index + 1 in that list.
    """
    document, fault = _read_json_document(landing_file)
    if fault is not None:
        yield fault
        return
    if document is None:
        return
    yield from page_records(landing_file.relative, document, entities)


def page_records(page: str, document: Any, entities: Mapping[str, str]) -> Iterator[RawRecord]:
    """The records of one JSON object page (a landing file or an API response) named `page`."""
    if not isinstance(document, dict):
        text = json.dumps(document, ensure_ascii=False)
        yield RawRecord(
            page,
            FILE_ENTITY,
            WHOLE_FILE_POSITION,
            text,
            fault=quarantined("wrong_type: file not a JSON object"),
        )
        return
    for key, entity in entities.items():
        items = document.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            text = json.dumps(items, ensure_ascii=False)
            reason = f"wrong_type: {key} not a list"
            yield RawRecord(page, FILE_ENTITY, WHOLE_FILE_POSITION, text, fault=quarantined(reason))
            continue
        for position, item in enumerate(items, start=1):
            yield RawRecord(page, entity, position, json.dumps(item, ensure_ascii=False), item)


def _csv_text(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def read_csv_records(landing_file: LandingFile, entity: str) -> Iterator[RawRecord]:
    """CSV with a header (Excel style: BOM, CRLF, quoted newlines, blank lines are fine).

    Values are the rows as {header: cell}; position = data record number, header and blank
    records not counted.
    """
    try:
        text = landing_file.path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield _file_fault(landing_file, f"wrong_type: file not UTF-8 ({exc.reason})", "")
        return
    rows = (row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row))
    position = 0
    try:
        header = [name.strip() for name in next(rows, [])]
        for position, cells in enumerate(rows, start=1):
            if len(cells) != len(header):
                reason = f"wrong_type: {len(cells)} fields, header has {len(header)}"
                yield RawRecord(
                    landing_file.relative,
                    entity,
                    position,
                    _csv_text(cells),
                    fault=quarantined(reason),
                )
                continue
            value = dict(zip(header, cells, strict=True))
            yield RawRecord(landing_file.relative, entity, position, _csv_text(cells), value)
    except csv.Error as exc:
        yield RawRecord(
            landing_file.relative, entity, position + 1, "", fault=quarantined(f"not_csv: {exc}")
        )
