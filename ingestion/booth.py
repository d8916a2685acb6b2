"""Booth channel: trade-show badge-scan CSV exports, one folder per event."""

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path, PurePosixPath

import dlt
from dlt.sources import DltResource

from ingestion.parsing.emails import resolve_test_patterns, test_email_rejection
from ingestion.parsing.fields import (
    FieldError,
    Rejection,
    Row,
    is_missing,
    parse_iso_timestamp,
    rejects_field_errors,
    require,
)
from ingestion.parsing.readers import read_csv_records
from ingestion.parsing.tables import FILE_POSITION_COLUMNS, EntityParser, TableSpec
from ingestion.plumbing import SCHEMA_CONTRACT, landing_resource

FOLDER = "booth"
SUFFIXES = (".csv",)
# Export header -> column. Cells are kept as given; an empty cell is null.
CSV_COLUMNS = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email Address": "email_address",
    "Company": "company",
    "Job Title": "job_title",
    "Phone": "phone",
    "Country": "country",
    "Scan Timestamp": "scanned_at",
    "Scanned By": "scanned_by",
    "Rating": "rating",
    "Notes": "notes",
    "Q: Timeline": "q_timeline",
    "Q: Budget": "q_budget",
}

SCANS = TableSpec(
    name="scans",
    primary_key=("scan_key",),
    columns={
        "scan_key": "text",
        "event_slug": "text",
        "first_name": "text",
        "last_name": "text",
        "email_address": "text",
        "company": "text",
        "job_title": "text",
        "phone": "text",
        "country": "text",
        "scanned_at": "timestamp",
        "scanned_by": "text",
        "rating": "text",
        "notes": "text",
        "q_timeline": "text",
        "q_budget": "text",
        **FILE_POSITION_COLUMNS,
    },
)


def scan_key(file: str, position: int) -> tuple[str, str]:
    """(`<event-slug>/<file name>#<n>`, event slug) of record `position` of a booth file."""
    path = PurePosixPath(file)
    event_slug = path.parent.name
    return f"{event_slug}/{path.name}#{position}", event_slug


@rejects_field_errors
def parse_scan(
    raw: Mapping[str, str], file: str, position: int, test_email_patterns: Sequence[str]
) -> Row | Rejection:
    """One badge scan (a CSV record as {header: cell}) as a row of `scans`, or a rejection."""
    cells = {
        column: None if is_missing(raw.get(header)) else raw.get(header)
        for header, column in CSV_COLUMNS.items()
    }
    test_record = test_email_rejection(cells["email_address"], test_email_patterns)
    if test_record is not None:
        return test_record

    scanned_at = parse_iso_timestamp(
        require(cells["scanned_at"], "Scan Timestamp"), "Scan Timestamp"
    )
    has_name = cells["first_name"] is not None and cells["last_name"] is not None
    if cells["email_address"] is None and not has_name:
        raise FieldError("missing_field", "Email Address or First Name and Last Name")
    key, event_slug = scan_key(file, position)
    return {"scan_key": key, "event_slug": event_slug, **cells, "scanned_at": scanned_at}


@dlt.source(name="booth", schema_contract=SCHEMA_CONTRACT)
def booth_source(
    landing_dir: Path, test_email_patterns: Sequence[str] | None = None
) -> Iterable[DltResource]:
    """Badge scans under `<landing_dir>/booth/<event-slug>/*.csv` into `scans`."""
    patterns = resolve_test_patterns(test_email_patterns)
    parse = EntityParser(
        SCANS,
        lambda record: parse_scan(record.value, record.file, record.position, patterns),
    )
    read = partial(read_csv_records, entity="scan")
    return (landing_resource(landing_dir, FOLDER, SUFFIXES, read, {"scan": parse}),)
