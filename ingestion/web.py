"""Web channel: Segment-spec events (page, track, identify) from gzip JSON lines."""

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dlt
from dlt.sources import DltResource

from ingestion.parsing.emails import resolve_test_patterns, test_email_rejection
from ingestion.parsing.fields import (
    FieldError,
    Rejection,
    Row,
    as_bigint,
    as_double,
    as_id,
    as_text,
    dig,
    filtered,
    is_missing,
    parse_iso_timestamp,
    rejects_field_errors,
    require,
)
from ingestion.parsing.readers import read_json_lines
from ingestion.parsing.tables import FILE_POSITION_COLUMNS, EntityParser, TableSpec
from ingestion.plumbing import SCHEMA_CONTRACT, landing_resource

FOLDER = "web"
SUFFIXES = (".jsonl.gz", ".jsonl")
SEGMENT_TYPES = ("page", "track", "identify")

EVENTS = TableSpec(
    name="events",
    primary_key=("message_id",),
    columns={
        "message_id": "text",
        "type": "text",
        "event": "text",
        "anonymous_id": "text",
        "user_id": "text",
        "timestamp": "timestamp",
        "received_at": "timestamp",
        "sent_at": "timestamp",
        "page_path": "text",
        "page_url": "text",
        "page_title": "text",
        "page_referrer": "text",
        "campaign_name": "text",
        "campaign_source": "text",
        "campaign_medium": "text",
        "campaign_term": "text",
        "campaign_content": "text",
        "ip": "text",
        "user_agent": "text",
        "chat_topic": "text",
        "trait_email": "text",
        "trait_first_name": "text",
        "trait_last_name": "text",
        "trait_title": "text",
        "trait_phone": "text",
        "trait_country": "text",
        "trait_company_name": "text",
        "trait_company_industry": "text",
        "trait_company_employee_count": "bigint",
        "trait_company_annual_revenue": "double",
        **FILE_POSITION_COLUMNS,
    },
)


def _page_field(raw: Mapping[str, Any], name: str, is_page: bool) -> str | None:
    """A page attribute: `properties.<name>` on page calls, else `context.page.<name>`."""
    if is_page and not is_missing(dig(raw, f"properties.{name}")):
        return as_text(dig(raw, f"properties.{name}"))
    return as_text(dig(raw, f"context.page.{name}"))


def page_path(raw: Mapping[str, Any]) -> str:
    """Path of a page call: given path, else the path of its URL; empty means `/`."""
    for candidate in (dig(raw, "properties.path"), dig(raw, "context.page.path")):
        if not is_missing(candidate):
            return str(as_text(candidate))
    for url in (dig(raw, "properties.url"), dig(raw, "context.page.url")):
        if isinstance(url, str) and urlsplit(url).path:
            return urlsplit(url).path
    return "/"


@rejects_field_errors
def parse_event(raw: Mapping[str, Any], test_email_patterns: Sequence[str]) -> Row | Rejection:
    """One Segment call as a row of `events` (without `file`/`position`), or a rejection."""
    given_type = raw.get("type")
    event_type = given_type.strip().lower() if isinstance(given_type, str) else None
    if event_type and event_type not in SEGMENT_TYPES:
        return filtered(f"unsupported_type: type={given_type}")
    if event_type == "identify":
        test_record = test_email_rejection(dig(raw, "traits.email"), test_email_patterns)
        if test_record is not None:
            return test_record

    message_id = as_id(require(raw.get("messageId"), "messageId"), "messageId")
    require(given_type, "type")
    if event_type is None:
        raise FieldError("wrong_type", "type not a string")
    timestamp = parse_iso_timestamp(require(raw.get("timestamp"), "timestamp"), "timestamp")
    anonymous_id = as_id(raw.get("anonymousId"), "anonymousId")
    user_id = as_id(raw.get("userId"), "userId")
    if anonymous_id is None and user_id is None:
        raise FieldError("missing_field", "anonymousId or userId")

    is_page = event_type == "page"
    return {
        "message_id": message_id,
        "type": event_type,
        "event": as_text(raw.get("event")) if event_type == "track" else None,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "timestamp": timestamp,
        "received_at": parse_iso_timestamp(raw.get("receivedAt"), "receivedAt"),
        "sent_at": parse_iso_timestamp(raw.get("sentAt"), "sentAt"),
        "page_path": page_path(raw) if is_page else None,
        "page_url": _page_field(raw, "url", is_page),
        "page_title": _page_field(raw, "title", is_page),
        "page_referrer": _page_field(raw, "referrer", is_page),
        "campaign_name": as_text(dig(raw, "context.campaign.name")),
        "campaign_source": as_text(dig(raw, "context.campaign.source")),
        "campaign_medium": as_text(dig(raw, "context.campaign.medium")),
        "campaign_term": as_text(dig(raw, "context.campaign.term")),
        "campaign_content": as_text(dig(raw, "context.campaign.content")),
        "ip": as_text(dig(raw, "context.ip")),
        "user_agent": as_text(dig(raw, "context.userAgent")),
        "chat_topic": as_text(dig(raw, "properties.topic")),
        "trait_email": as_text(dig(raw, "traits.email")),
        "trait_first_name": as_text(dig(raw, "traits.firstName")),
        "trait_last_name": as_text(dig(raw, "traits.lastName")),
        "trait_title": as_text(dig(raw, "traits.title")),
        "trait_phone": as_text(dig(raw, "traits.phone")),
        "trait_country": as_text(dig(raw, "traits.country")),
        "trait_company_name": as_text(dig(raw, "traits.company.name")),
        "trait_company_industry": as_text(dig(raw, "traits.company.industry")),
        "trait_company_employee_count": as_bigint(
            dig(raw, "traits.company.employee_count"), "traits.company.employee_count"
        ),
        "trait_company_annual_revenue": as_double(
            dig(raw, "traits.company.annual_revenue"), "traits.company.annual_revenue"
        ),
    }


@dlt.source(name="web", schema_contract=SCHEMA_CONTRACT)
def web_source(
    landing_dir: Path, test_email_patterns: Sequence[str] | None = None
) -> Iterable[DltResource]:
    """Segment events under `<landing_dir>/web/<date>/*.jsonl.gz` into `events`."""
    patterns = resolve_test_patterns(test_email_patterns)
    parse = EntityParser(EVENTS, lambda record: parse_event(record.value, patterns))
    read = partial(read_json_lines, entity="event")
    return (landing_resource(landing_dir, FOLDER, SUFFIXES, read, {"event": parse}),)
