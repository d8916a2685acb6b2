"""Email channel: SendGrid Event Webhook batches (one JSON array per file)."""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion.parsing.emails import resolve_test_patterns, test_email_rejection
from ingestion.parsing.fields import (
    FieldError,
    Rejection,
    Row,
    as_id,
    as_text,
    filtered,
    is_missing,
    parse_epoch_seconds,
    rejects_field_errors,
    require,
)
from ingestion.parsing.readers import read_json_array
from ingestion.parsing.tables import FILE_POSITION_COLUMNS, EntityParser, TableSpec
from ingestion.plumbing import SCHEMA_CONTRACT, landing_resource

FOLDER = "email"
SUFFIXES = (".json",)
SENDGRID_EVENTS = frozenset(
    {
        "processed",
        "dropped",
        "delivered",
        "deferred",
        "bounce",
        "open",
        "click",
        "spamreport",
        "unsubscribe",
        "group_unsubscribe",
        "group_resubscribe",
    }
)

EVENTS = TableSpec(
    name="events",
    primary_key=("sg_event_id",),
    columns={
        "sg_event_id": "text",
        "is_event_id_derived": "bool",
        "email": "text",
        "event": "text",
        "timestamp": "timestamp",
        "sg_message_id": "text",
        "smtp_id": "text",
        "category": "text",
        "url": "text",
        "reason": "text",
        "status": "text",
        "bounce_type": "text",
        "marketing_campaign_id": "text",
        "marketing_campaign_name": "text",
        "is_machine_open": "bool",
        **FILE_POSITION_COLUMNS,
    },
)


def derived_event_id(raw: Mapping[str, Any]) -> str:
    """Key of a legacy event without `sg_event_id`: byte-identical retries share it."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def category_text(value: Any) -> str | None:
    """SendGrid `category`: a string, or an array of strings joined with ','."""
    if isinstance(value, list):
        return ",".join(str(as_text(item)) for item in value)
    return as_text(value)


@rejects_field_errors
def parse_event(raw: Mapping[str, Any], test_email_patterns: Sequence[str]) -> Row | Rejection:
    """One webhook event as a row of `events` (without `file`/`position`), or a rejection."""
    given_event = raw.get("event")
    event = given_event.strip().lower() if isinstance(given_event, str) else None
    if event and event not in SENDGRID_EVENTS:
        return filtered(f"unsupported_event: event={given_event}")
    test_record = test_email_rejection(raw.get("email"), test_email_patterns)
    if test_record is not None:
        return test_record

    email = require(raw.get("email"), "email")
    if not isinstance(email, str):
        raise FieldError("wrong_type", "email not a string")
    require(given_event, "event")
    if event is None:
        raise FieldError("wrong_type", "event not a string")
    timestamp = parse_epoch_seconds(require(raw.get("timestamp"), "timestamp"), "timestamp")

    given_id = raw.get("sg_event_id")
    is_derived = is_missing(given_id)
    return {
        "sg_event_id": derived_event_id(raw) if is_derived else as_id(given_id, "sg_event_id"),
        "is_event_id_derived": is_derived,
        "email": email,
        "event": event,
        "timestamp": timestamp,
        "sg_message_id": as_text(raw.get("sg_message_id")),
        "smtp_id": as_text(raw.get("smtp-id")),
        "category": category_text(raw.get("category")),
        "url": as_text(raw.get("url")),
        "reason": as_text(raw.get("reason")),
        "status": as_text(raw.get("status")),
        "bounce_type": as_text(raw.get("type")),
        "marketing_campaign_id": as_text(raw.get("marketing_campaign_id")),
        "marketing_campaign_name": as_text(raw.get("marketing_campaign_name")),
        "is_machine_open": raw.get("sg_machine_open") is True,
    }


@dlt.source(name="email", schema_contract=SCHEMA_CONTRACT)
def email_source(
    landing_dir: Path, test_email_patterns: Sequence[str] | None = None
) -> Iterable[DltResource]:
    """SendGrid webhook batches under `<landing_dir>/email/*.json` into `events`."""
    patterns = resolve_test_patterns(test_email_patterns)
    parse = EntityParser(EVENTS, lambda record: parse_event(record.value, patterns))
    read = partial(read_json_array, entity="event")
    return (landing_resource(landing_dir, FOLDER, SUFFIXES, read, {"event": parse}),)
