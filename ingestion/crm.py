"""CRM channel: Salesforce SOQL result pages of Lead, Opportunity and Task records."""

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion import salesforce_api
from ingestion.api_client import is_api_mode
from ingestion.parsing.emails import resolve_test_patterns, test_email_rejection
from ingestion.parsing.fields import (
    Rejection,
    Row,
    as_bigint,
    as_bool,
    as_date,
    as_double,
    as_id,
    as_text,
    parse_iso_timestamp,
    rejects_field_errors,
    require,
)
from ingestion.parsing.readers import read_json_lists
from ingestion.parsing.tables import FILE_POSITION_COLUMNS, EntityParser, TableSpec
from ingestion.plumbing import SCHEMA_CONTRACT, landing_resource

SUFFIXES = (".json",)

LEADS = TableSpec(
    name="leads",
    primary_key=("id", "last_modified_date"),
    columns={
        "id": "text",
        "email": "text",
        "first_name": "text",
        "last_name": "text",
        "company": "text",
        "title": "text",
        "industry": "text",
        "number_of_employees": "bigint",
        "annual_revenue": "double",
        "country": "text",
        "state": "text",
        "lead_source": "text",
        "status": "text",
        "owner_id": "text",
        "created_date": "timestamp",
        "last_modified_date": "timestamp",
        "is_converted": "bool",
        "converted_date": "date",
        "converted_opportunity_id": "text",
        "converted_contact_id": "text",
        "is_deleted": "bool",
        "master_record_id": "text",
        **FILE_POSITION_COLUMNS,
    },
)
OPPORTUNITIES = TableSpec(
    name="opportunities",
    primary_key=("id", "last_modified_date"),
    columns={
        "id": "text",
        "name": "text",
        "stage_name": "text",
        "is_closed": "bool",
        "is_won": "bool",
        "close_date": "date",
        "amount": "double",
        "campaign_id": "text",
        "created_date": "timestamp",
        "last_modified_date": "timestamp",
        **FILE_POSITION_COLUMNS,
    },
)
TASKS = TableSpec(
    name="tasks",
    primary_key=("id", "last_modified_date"),
    columns={
        "id": "text",
        "who_id": "text",
        "subject": "text",
        "type": "text",
        "call_duration_in_seconds": "bigint",
        "activity_date": "date",
        "status": "text",
        "created_date": "timestamp",
        "last_modified_date": "timestamp",
        **FILE_POSITION_COLUMNS,
    },
)


def _timestamp(raw: Mapping[str, Any], field_name: str) -> Any:
    return parse_iso_timestamp(raw.get(field_name), field_name)


def _required_id(raw: Mapping[str, Any]) -> str | None:
    return as_id(require(raw.get("Id"), "Id"), "Id")


def _required_timestamp(raw: Mapping[str, Any], field_name: str) -> Any:
    return parse_iso_timestamp(require(raw.get(field_name), field_name), field_name)


@rejects_field_errors
def parse_lead(raw: Mapping[str, Any], test_email_patterns: Sequence[str]) -> Row | Rejection:
    """One Lead version as a row of `leads` (without `file`/`position`), or a rejection."""
    test_record = test_email_rejection(raw.get("Email"), test_email_patterns)
    if test_record is not None:
        return test_record
    lead_id = _required_id(raw)
    last_modified_date = _required_timestamp(raw, "LastModifiedDate")
    return {
        "id": lead_id,
        "email": as_text(raw.get("Email")),
        "first_name": as_text(raw.get("FirstName")),
        "last_name": as_text(raw.get("LastName")),
        "company": as_text(raw.get("Company")),
        "title": as_text(raw.get("Title")),
        "industry": as_text(raw.get("Industry")),
        "number_of_employees": as_bigint(raw.get("NumberOfEmployees"), "NumberOfEmployees"),
        "annual_revenue": as_double(raw.get("AnnualRevenue"), "AnnualRevenue"),
        "country": as_text(raw.get("Country")),
        "state": as_text(raw.get("State")),
        "lead_source": as_text(raw.get("LeadSource")),
        "status": as_text(raw.get("Status")),
        "owner_id": as_text(raw.get("OwnerId")),
        "created_date": _timestamp(raw, "CreatedDate"),
        "last_modified_date": last_modified_date,
        "is_converted": as_bool(raw.get("IsConverted"), "IsConverted"),
        "converted_date": as_date(raw.get("ConvertedDate"), "ConvertedDate"),
        "converted_opportunity_id": as_text(raw.get("ConvertedOpportunityId")),
        "converted_contact_id": as_text(raw.get("ConvertedContactId")),
        "is_deleted": as_bool(raw.get("IsDeleted"), "IsDeleted"),
        "master_record_id": as_text(raw.get("MasterRecordId")),
    }


@rejects_field_errors
def parse_opportunity(raw: Mapping[str, Any]) -> Row | Rejection:
    """One Opportunity version as a row of `opportunities`, or a rejection."""
    opportunity_id = _required_id(raw)
    last_modified_date = _required_timestamp(raw, "LastModifiedDate")
    return {
        "id": opportunity_id,
        "name": as_text(raw.get("Name")),
        "stage_name": as_text(raw.get("StageName")),
        "is_closed": as_bool(raw.get("IsClosed"), "IsClosed"),
        "is_won": as_bool(raw.get("IsWon"), "IsWon"),
        "close_date": as_date(raw.get("CloseDate"), "CloseDate"),
        "amount": as_double(raw.get("Amount"), "Amount"),
        "campaign_id": as_text(raw.get("CampaignId")),
        "created_date": _timestamp(raw, "CreatedDate"),
        "last_modified_date": last_modified_date,
    }


@rejects_field_errors
def parse_task(raw: Mapping[str, Any]) -> Row | Rejection:
    """One Task (call, meeting, demo, ...) as a row of `tasks`, or a rejection."""
    task_id = _required_id(raw)
    created_date = _required_timestamp(raw, "CreatedDate")
    return {
        "id": task_id,
        "who_id": as_text(raw.get("WhoId")),
        "subject": as_text(raw.get("Subject")),
        "type": as_text(raw.get("Type")),
        "call_duration_in_seconds": as_bigint(
            raw.get("CallDurationInSeconds"), "CallDurationInSeconds"
        ),
        "activity_date": as_date(raw.get("ActivityDate"), "ActivityDate"),
        "status": as_text(raw.get("Status")),
        "created_date": created_date,
        "last_modified_date": _timestamp(raw, "LastModifiedDate") or created_date,
    }


def _records_resource(landing_dir: Path, folder: str, entity: str, parser: EntityParser) -> Any:
    read = partial(read_json_lists, entities={"records": entity})
    return landing_resource(landing_dir, folder, SUFFIXES, read, {entity: parser})


@dlt.source(name="crm", schema_contract=SCHEMA_CONTRACT)
def crm_source(
    landing_dir: Path, test_email_patterns: Sequence[str] | None = None
) -> Iterable[DltResource]:
    """Salesforce Lead, Opportunity and Task records: from the API when
    `sources.salesforce.base_url` is configured (see `salesforce_api`), else from the pages
    under `<landing_dir>/crm/{leads,opportunities,tasks}/*.json`."""
    patterns = resolve_test_patterns(test_email_patterns)
    objects = (
        # (folder, entity, SOQL object, fields, cursor field, parser)
        (
            "crm/leads",
            "lead",
            "Lead",
            salesforce_api.LEAD_FIELDS,
            "LastModifiedDate",
            EntityParser(LEADS, lambda record: parse_lead(record.value, patterns)),
        ),
        (
            "crm/opportunities",
            "opportunity",
            "Opportunity",
            salesforce_api.OPPORTUNITY_FIELDS,
            "LastModifiedDate",
            EntityParser(OPPORTUNITIES, lambda record: parse_opportunity(record.value)),
        ),
        (
            # A Task's CreatedDate is its required timestamp (the contract's Task fields).
            "crm/tasks",
            "task",
            "Task",
            salesforce_api.TASK_FIELDS,
            "CreatedDate",
            EntityParser(TASKS, lambda record: parse_task(record.value)),
        ),
    )
    if is_api_mode(salesforce_api.API):
        return tuple(
            salesforce_api.soql_resource(sobject, fields, cursor_field, entity, parser)
            for _, entity, sobject, fields, cursor_field, parser in objects
        )
    return tuple(
        _records_resource(landing_dir, folder, entity, parser)
        for folder, entity, *_, parser in objects
    )
