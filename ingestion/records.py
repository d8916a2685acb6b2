"""Shared pure helpers of every channel: rejections, typed field parsing, emails, landing files.

Channel modules only declare their tables and their `parse_<entity>` functions; reading the
landing files, skipping the ones already loaded and routing rows to their tables happens here,
once.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal, ParamSpec

import dlt
from dlt.common.schema.typing import TColumnSchema, TSchemaContractDict
from dlt.extract.items import DataItemWithMeta
from dlt.sources import DltResource

from ingestion.suppression import is_suppressed

DEFAULT_TEST_EMAIL_PATTERNS: tuple[str, ...] = ("*@mailinator.com", "test+*@*", "qa+*@*")
SCHEMA_CONTRACT: TSchemaContractDict = {
    "tables": "evolve",
    "columns": "evolve",
    "data_type": "freeze",
}
RAW_TEXT_LIMIT = 10_000
# Timestamps outside these years are impossible for this pipeline (epoch zero, typos, ms as s).
MIN_YEAR = 2000
MAX_YEAR = 2100
LOADED_FILES_STATE_KEY = "loaded_files"
FILE_ENTITY = "file"
WHOLE_FILE_POSITION = 0

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
# Field access and typed values (None and blank strings mean "missing")
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


# --------------------------------------------------------------------------------------------
# Emails and test records
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Tables and their dlt hints
# --------------------------------------------------------------------------------------------

ColumnType = Literal["text", "bigint", "double", "bool", "date", "timestamp", "json"]
FILE_POSITION_COLUMNS: dict[str, ColumnType] = {"file": "text", "position": "bigint"}
REJECTED_COLUMNS: dict[str, ColumnType] = {
    "file": "text",
    "entity": "text",
    "position": "bigint",
    "disposition": "text",
    "reason": "text",
    "raw": "text",
}


@dataclass(frozen=True)
class TableSpec:
    """One destination table: merge on its primary key, every column typed up front."""

    name: str
    primary_key: tuple[str, ...]
    columns: Mapping[str, ColumnType]
    # On a key delivered twice in one load, keep the row with the highest value of this column.
    dedup_sort: str | None = None

    def column_hints(self) -> dict[str, TColumnSchema]:
        hints: dict[str, TColumnSchema] = {}
        for name, data_type in self.columns.items():
            hint: TColumnSchema = {"name": name, "data_type": data_type, "nullable": True}
            if data_type == "timestamp":
                hint["timezone"] = True
            if name in self.primary_key:
                hint["nullable"] = False
            if name == self.dedup_sort:
                hint["dedup_sort"] = "desc"
            hints[name] = hint
        return hints

    def mark(self, rows: list[Row]) -> DataItemWithMeta:
        """Rows routed to this table with its full hints (a table variant of the resource)."""
        hints = dlt.mark.make_hints(
            table_name=self.name,
            primary_key=list(self.primary_key),
            write_disposition="merge",
            columns=self.column_hints(),
            schema_contract=SCHEMA_CONTRACT,
        )
        return dlt.mark.with_hints(rows, hints, create_table_variant=True)


def rejected_table(resource: str) -> TableSpec:
    return TableSpec(f"{resource}_rejected", ("file", "entity", "position"), REJECTED_COLUMNS)


DELIVERY_COUNTS = ("delivered", "emitted", "quarantined", "filtered", "suppressed")
DELIVERY_COLUMNS: dict[str, ColumnType] = {
    "file": "text",
    "entity": "text",
    "delivered": "bigint",
    "emitted": "bigint",
    "quarantined": "bigint",
    "filtered": "bigint",
    "suppressed": "bigint",  # records of erased people, dropped unread (ingestion/suppression)
}


def deliveries_table(resource: str) -> TableSpec:
    """Per file and entity: records read and what became of them (the audit's ledger)."""
    return TableSpec(f"{resource}_deliveries", ("file", "entity"), DELIVERY_COLUMNS)


# --------------------------------------------------------------------------------------------
# Landing files and their records
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Files mode: skip loaded files, parse, route rows to their tables
# --------------------------------------------------------------------------------------------


def unloaded_landing_files(
    landing_dir: Path, folder: str, suffixes: tuple[str, ...]
) -> Iterator[LandingFile]:
    """Landing files not yet in the resource state; each is recorded once it was consumed.

    Must run inside a dlt resource: the state is committed together with the loaded rows.
    """
    loaded: list[str] = dlt.current.resource_state().setdefault(LOADED_FILES_STATE_KEY, [])
    already_loaded = set(loaded)
    for landing_file in list_landing_files(landing_dir, folder, suffixes):
        if landing_file.relative in already_loaded:
            continue
        yield landing_file
        loaded.append(landing_file.relative)


@dataclass(frozen=True)
class EntityParser:
    """How records of one entity become rows: `parse`, its table, and child tables.

    `children` maps a key of the parsed row (a list of rows) to the table those rows go to.
    """

    table: TableSpec
    parse: Callable[[RawRecord], Row | Rejection]
    children: Mapping[str, TableSpec] = field(default_factory=dict)


def rejected_row(record: RawRecord, rejection: Rejection) -> Row:
    return {
        "file": record.file,
        "entity": record.entity,
        "position": record.position,
        "disposition": rejection.disposition,
        "reason": rejection.reason,
        "raw": record.text[:RAW_TEXT_LIMIT],
    }


def parsed_rows(
    records: Iterable[RawRecord], resource: str, parsers: Mapping[str, EntityParser]
) -> Iterator[DataItemWithMeta]:
    """The records of one file or API page, parsed: good rows, child rows and rejected rows.

    Also the delivery counts per file and entity (`<resource>_deliveries`), so the audit can
    prove that every record read was loaded, deduplicated, quarantined or filtered.
    """
    rejected = rejected_table(resource)
    deliveries = deliveries_table(resource)
    tables: dict[str, TableSpec] = {rejected.name: rejected, deliveries.name: deliveries}
    rows: dict[str, list[Row]] = {rejected.name: []}
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for record in records:
        count = counts[(record.file, record.entity)]
        count["delivered"] += 1
        if is_suppressed(record):
            count["suppressed"] += 1
            continue
        if record.fault is not None:
            rows[rejected.name].append(rejected_row(record, record.fault))
            count[record.fault.disposition] += 1
            continue
        parser = parsers[record.entity]
        if isinstance(record.value, Mapping):
            outcome = parser.parse(record)
        else:
            outcome = quarantined(f"wrong_type: {record.entity} not a JSON object")
        if isinstance(outcome, Rejection):
            rows[rejected.name].append(rejected_row(record, outcome))
            count[outcome.disposition] += 1
            continue
        for key, child in parser.children.items():
            tables[child.name] = child
            rows.setdefault(child.name, []).extend(outcome.pop(key))
        tables[parser.table.name] = parser.table
        row = {**outcome, "file": record.file, "position": record.position}
        rows.setdefault(parser.table.name, []).append(row)
        count["emitted"] += 1
    rows[deliveries.name] = [
        {"file": file, "entity": entity, **{kind: count[kind] for kind in DELIVERY_COUNTS}}
        for (file, entity), count in sorted(counts.items())
    ]
    for name, table_rows in rows.items():
        if table_rows:
            yield tables[name].mark(table_rows)


def landing_rows(
    landing_dir: Path,
    folder: str,
    suffixes: tuple[str, ...],
    resource: str,
    read: Reader,
    parsers: Mapping[str, EntityParser],
) -> Iterator[DataItemWithMeta]:
    """Every new landing file of `folder`, parsed (see `parsed_rows`)."""
    for landing_file in unloaded_landing_files(landing_dir, folder, suffixes):
        yield from parsed_rows(read(landing_file), resource, parsers)


def declared_tables(resource: str, parsers: Mapping[str, EntityParser]) -> list[TableSpec]:
    """Every table a resource can write: its entities', their children, rejected, deliveries."""
    tables = {table.name: table for table in (rejected_table(resource), deliveries_table(resource))}
    for parser in parsers.values():
        for table in (parser.table, *parser.children.values()):
            tables[table.name] = table
    return list(tables.values())


def parser_resource(
    rows: Callable[[], Iterator[DataItemWithMeta]], parsers: Mapping[str, EntityParser]
) -> DltResource:
    """A merge resource named after the table of its first entity, yielding `rows()`.

    Every declared table the pipeline's schema does not know yet is materialized from its
    column hints first, even when nothing arrives (no folder, no file, an API page with zero
    records), so staging always finds it; a known table is not touched (a rerun with nothing
    new loads nothing).
    Column hints travel with every batch (`TableSpec.mark`) rather than on the resource:
    dlt copies a resource's column hints into each table variant it creates.
    """
    main = next(iter(parsers.values())).table

    def declared_then_rows() -> Iterator[DataItemWithMeta]:
        known = dlt.current.source_schema().tables
        for table in declared_tables(main.name, parsers):
            if table.name not in known:
                yield table.mark(dlt.mark.materialize_table_schema())
        yield from rows()

    return dlt.resource(
        declared_then_rows,
        name=main.name,
        primary_key=list(main.primary_key),
        write_disposition="merge",
        schema_contract=SCHEMA_CONTRACT,
    )


def landing_resource(
    landing_dir: Path,
    folder: str,
    suffixes: tuple[str, ...],
    read: Reader,
    parsers: Mapping[str, EntityParser],
) -> DltResource:
    """The resource reading every new landing file of `folder` (see `parser_resource`)."""
    main = next(iter(parsers.values())).table

    def rows() -> Iterator[DataItemWithMeta]:
        yield from landing_rows(landing_dir, folder, suffixes, main.name, read, parsers)

    return parser_resource(rows, parsers)
