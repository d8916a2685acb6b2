"""Support channel: Zendesk incremental ticket export pages (tickets with sideloaded users)."""

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion import zendesk_api
from ingestion.api_client import is_api_mode
from ingestion.parsing.emails import resolve_test_patterns, test_email_rejection
from ingestion.parsing.fields import (
    FieldError,
    Rejection,
    Row,
    as_bigint,
    as_text,
    dig,
    filtered,
    parse_iso_timestamp,
    rejects_field_errors,
    require,
)
from ingestion.parsing.readers import read_json_lists
from ingestion.parsing.tables import FILE_POSITION_COLUMNS, EntityParser, TableSpec
from ingestion.plumbing import SCHEMA_CONTRACT, landing_resource

FOLDER = "support"
SUFFIXES = (".json",)
PAGE_LISTS = {"tickets": "ticket", "users": "user"}

TICKETS = TableSpec(
    name="tickets",
    primary_key=("id", "updated_at"),
    columns={
        "id": "bigint",
        "created_at": "timestamp",
        "updated_at": "timestamp",
        "subject": "text",
        "description": "text",
        "status": "text",
        "priority": "text",
        "type": "text",
        "tags": "json",
        "requester_id": "bigint",
        "via_channel": "text",
        "satisfaction_score": "text",
        "generated_timestamp": "bigint",
        **FILE_POSITION_COLUMNS,
    },
    # The same ticket version in two pages: the later export (higher generated_timestamp) wins.
    dedup_sort="generated_timestamp",
)
USERS = TableSpec(
    name="users",
    primary_key=("id",),
    columns={
        "id": "bigint",
        "email": "text",
        "name": "text",
        "role": "text",
        "organization_id": "bigint",
        **FILE_POSITION_COLUMNS,
    },
    # Every page sideloads its users again: the user from the later page wins.
    dedup_sort="file",
)


def _tags(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise FieldError("wrong_type", "tags not a list")
    return [str(as_text(tag)) for tag in value]


@rejects_field_errors
def parse_ticket(raw: Mapping[str, Any]) -> Row | Rejection:
    """One ticket version as a row of `tickets` (without `file`/`position`), or a rejection."""
    status = raw.get("status")
    if isinstance(status, str) and status.strip().lower() == "deleted":
        return filtered("deleted_ticket: status=deleted")

    ticket_id = as_bigint(require(raw.get("id"), "id"), "id")
    created_at = parse_iso_timestamp(raw.get("created_at"), "created_at")
    updated_at = parse_iso_timestamp(raw.get("updated_at"), "updated_at") or created_at
    if updated_at is None:
        raise FieldError("missing_field", "updated_at")
    requester_id = as_bigint(require(raw.get("requester_id"), "requester_id"), "requester_id")
    return {
        "id": ticket_id,
        "created_at": created_at,
        "updated_at": updated_at,
        "subject": as_text(raw.get("subject")),
        "description": as_text(raw.get("description")),
        "status": as_text(status),
        "priority": as_text(raw.get("priority")),
        "type": as_text(raw.get("type")),
        "tags": _tags(raw.get("tags")),
        "requester_id": requester_id,
        "via_channel": as_text(dig(raw, "via.channel")),
        "satisfaction_score": as_text(dig(raw, "satisfaction_rating.score")),
        "generated_timestamp": as_bigint(raw.get("generated_timestamp"), "generated_timestamp"),
    }


@rejects_field_errors
def parse_user(raw: Mapping[str, Any], test_email_patterns: Sequence[str]) -> Row | Rejection:
    """One sideloaded user as a row of `users`; a test address filters the user only."""
    test_record = test_email_rejection(raw.get("email"), test_email_patterns)
    if test_record is not None:
        return test_record
    return {
        "id": as_bigint(require(raw.get("id"), "id"), "id"),
        "email": as_text(raw.get("email")),
        "name": as_text(raw.get("name")),
        "role": as_text(raw.get("role")),
        "organization_id": as_bigint(raw.get("organization_id"), "organization_id"),
    }


@dlt.source(name="support", schema_contract=SCHEMA_CONTRACT)
def support_source(
    landing_dir: Path, test_email_patterns: Sequence[str] | None = None
) -> Iterable[DltResource]:
    """Zendesk export pages into `tickets` and `users`: from the API when
    `sources.zendesk.base_url` is configured (see `zendesk_api`), else from
    `<landing_dir>/support/*.json`."""
    patterns = resolve_test_patterns(test_email_patterns)
    parsers = {
        "ticket": EntityParser(TICKETS, lambda record: parse_ticket(record.value)),
        "user": EntityParser(USERS, lambda record: parse_user(record.value, patterns)),
    }
    if is_api_mode(zendesk_api.API):
        return (zendesk_api.ticket_export_resource(PAGE_LISTS, parsers, TICKETS.name),)
    read = partial(read_json_lists, entities=PAGE_LISTS)
    return (landing_resource(landing_dir, FOLDER, SUFFIXES, read, parsers),)
