"""Social channel: LinkedIn Lead Sync forms and responses, post reactions and comments."""

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import dlt
from dlt.sources import DltResource

from ingestion.parsing.fields import (
    FieldError,
    Rejection,
    Row,
    as_bigint,
    as_id,
    as_text,
    dig,
    filtered,
    parse_epoch_millis,
    rejects_field_errors,
    require,
)
from ingestion.parsing.readers import read_json_lists
from ingestion.parsing.tables import FILE_POSITION_COLUMNS, EntityParser, TableSpec
from ingestion.plumbing import SCHEMA_CONTRACT, landing_resource

SUFFIXES = (".json",)
PERSON_URN_PREFIX = "urn:li:person:"
# LinkedIn's test submitter: responses sent from the form preview ("Send test lead").
TEST_SUBMITTER = "urn:li:person:0"
VERSIONED_FORM_URN = re.compile(r"urn:li:versionedLeadGenForm:\(urn:li:leadGenForm:(\d+),(\d+)\)")
# Organic (Page, Event) forms come without a version: the form URN alone names them.
FORM_URN = re.compile(r"urn:li:leadGenForm:(\d+)")
# The version of a form (or a response's form) that Lead Sync returned without one.
UNVERSIONED = 0
MULTIPLE_CHOICE_SEPARATOR = "; "

FORMS = TableSpec(
    name="forms",
    primary_key=("id", "version_id"),
    columns={
        "id": "bigint",
        "version_id": "bigint",
        "name": "text",
        "state": "text",
        **FILE_POSITION_COLUMNS,
    },
)
FORM_QUESTIONS = TableSpec(
    name="form_questions",
    primary_key=("form_id", "form_version_id", "question_id"),
    columns={
        "form_id": "bigint",
        "form_version_id": "bigint",
        "question_id": "bigint",
        "predefined_field": "text",
        "name": "text",
    },
)
RESPONSES = TableSpec(
    name="responses",
    primary_key=("id",),
    columns={
        "id": "text",
        "submitted_at": "timestamp",
        "lead_type": "text",
        "submitter": "text",
        "form_id": "bigint",
        "form_version_id": "bigint",
        "sponsored_account": "text",
        "organization": "text",
        "campaign": "text",
        **FILE_POSITION_COLUMNS,
    },
)
RESPONSE_ANSWERS = TableSpec(
    name="response_answers",
    primary_key=("response_id", "question_id"),
    columns={"response_id": "text", "question_id": "bigint", "answer": "text"},
)
REACTIONS = TableSpec(
    name="reactions",
    primary_key=("id", "last_modified_at"),
    columns={
        "id": "text",
        "actor": "text",
        "reaction_type": "text",
        "root": "text",
        "created_at": "timestamp",
        "last_modified_at": "timestamp",
        **FILE_POSITION_COLUMNS,
    },
)
COMMENTS = TableSpec(
    name="comments",
    primary_key=("id", "last_modified_at"),
    columns={
        "id": "text",
        "comment_urn": "text",
        "actor": "text",
        "object": "text",
        "message_text": "text",
        "created_at": "timestamp",
        "last_modified_at": "timestamp",
        **FILE_POSITION_COLUMNS,
    },
)


def _object_list(value: Any, field_name: str) -> list[Mapping[str, Any]]:
    """A list of objects (missing means empty); anything else is `wrong_type`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError("wrong_type", f"{field_name} not a list")
    for index, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            raise FieldError("wrong_type", f"{field_name}[{index}] not an object")
    return value


@rejects_field_errors
def parse_form(raw: Mapping[str, Any]) -> Row | Rejection:
    """One form version; its questions go under `questions` (rows of `form_questions`)."""
    form_id = as_bigint(require(raw.get("id"), "id"), "id")
    version_id = as_bigint(raw.get("versionId"), "versionId")
    if version_id is None:
        version_id = UNVERSIONED
    questions = []
    path = "content.questions"
    for index, question in enumerate(_object_list(dig(raw, path), path), start=1):
        field_name = f"{path}[{index}].questionId"
        question_id = as_bigint(require(question.get("questionId"), field_name), field_name)
        questions.append(
            {
                "form_id": form_id,
                "form_version_id": version_id,
                "question_id": question_id,
                "predefined_field": as_text(question.get("predefinedField")),
                "name": as_text(question.get("name")),
            }
        )
    return {
        "id": form_id,
        "version_id": version_id,
        "name": as_text(raw.get("name")),
        "state": as_text(raw.get("state")),
        "questions": questions,
    }


def answer_text(answer_details: Any) -> str | None:
    """A text answer as given; multiple-choice options joined with '; '."""
    text = dig(answer_details, "textQuestionAnswer.answer")
    if text is not None:
        return as_text(text)
    options = dig(answer_details, "multipleChoiceAnswer.options")
    if isinstance(options, list):
        return MULTIPLE_CHOICE_SEPARATOR.join(str(as_text(option)) for option in options)
    return None


def _form_reference(form_urn: Any) -> tuple[int, int]:
    """(form id, version) of a versioned form URN, or of a bare form URN (`UNVERSIONED`)."""
    text = form_urn.strip() if isinstance(form_urn, str) else ""
    versioned = VERSIONED_FORM_URN.fullmatch(text)
    if versioned is not None:
        return int(versioned.group(1)), int(versioned.group(2))
    bare = FORM_URN.fullmatch(text)
    if bare is not None:
        return int(bare.group(1)), UNVERSIONED
    raise FieldError("wrong_type", "versionedLeadGenFormUrn not a lead form URN")


@rejects_field_errors
def parse_response(raw: Mapping[str, Any]) -> Row | Rejection:
    """One lead form response; its answers go under `answers` (rows of `response_answers`)."""
    if raw.get("testLead") is True:
        return filtered("test_record: testLead=true")
    if raw.get("submitter") == TEST_SUBMITTER:
        return filtered(f"test_record: submitter={TEST_SUBMITTER}")

    response_id = as_id(require(raw.get("id"), "id"), "id")
    submitted_at = parse_epoch_millis(require(raw.get("submittedAt"), "submittedAt"), "submittedAt")
    form_urn = require(raw.get("versionedLeadGenFormUrn"), "versionedLeadGenFormUrn")
    form_id, form_version_id = _form_reference(form_urn)
    answers = []
    path = "formResponse.answers"
    for index, answer in enumerate(_object_list(dig(raw, path), path), start=1):
        field_name = f"{path}[{index}].questionId"
        question_id = as_bigint(require(answer.get("questionId"), field_name), field_name)
        answers.append(
            {
                "response_id": response_id,
                "question_id": question_id,
                "answer": answer_text(answer.get("answerDetails")),
            }
        )
    return {
        "id": response_id,
        "submitted_at": submitted_at,
        "lead_type": as_text(raw.get("leadType")),
        "submitter": as_text(raw.get("submitter")),
        "form_id": form_id,
        "form_version_id": form_version_id,
        "sponsored_account": as_text(dig(raw, "owner.sponsoredAccount")),
        "organization": as_text(dig(raw, "owner.organization")),
        "campaign": as_text(dig(raw, "leadMetadata.sponsoredLeadMetadata.campaign")),
        "answers": answers,
    }


def _created_and_modified(raw: Mapping[str, Any]) -> tuple[Any, Any]:
    created_at = parse_epoch_millis(
        require(dig(raw, "created.time"), "created.time"), "created.time"
    )
    last_modified_at = parse_epoch_millis(dig(raw, "lastModified.time"), "lastModified.time")
    return created_at, last_modified_at or created_at


@rejects_field_errors
def parse_reaction(raw: Mapping[str, Any]) -> Row | Rejection:
    """One reaction on a company post; reactions by an organization are filtered."""
    actor = as_text(dig(raw, "created.actor"))
    if actor is not None and not actor.startswith(PERSON_URN_PREFIX):
        return filtered(f"organization_actor: actor={actor}")
    reaction_id = as_id(require(raw.get("id"), "id"), "id")
    created_at, last_modified_at = _created_and_modified(raw)
    return {
        "id": reaction_id,
        "actor": actor,
        "reaction_type": as_text(raw.get("reactionType")),
        "root": as_text(raw.get("root")),
        "created_at": created_at,
        "last_modified_at": last_modified_at,
    }


@rejects_field_errors
def parse_comment(raw: Mapping[str, Any]) -> Row | Rejection:
    """One comment on a company post (an edit keeps the id, with a later lastModified)."""
    comment_id = as_id(require(raw.get("id"), "id"), "id")
    actor = as_id(require(raw.get("actor"), "actor"), "actor")
    created_at, last_modified_at = _created_and_modified(raw)
    return {
        "id": comment_id,
        "comment_urn": as_text(raw.get("commentUrn")),
        "actor": actor,
        "object": as_text(raw.get("object")),
        "message_text": as_text(dig(raw, "message.text")),
        "created_at": created_at,
        "last_modified_at": last_modified_at,
    }


def _elements_resource(landing_dir: Path, folder: str, entity: str, parser: EntityParser) -> Any:
    read = partial(read_json_lists, entities={"elements": entity})
    return landing_resource(landing_dir, folder, SUFFIXES, read, {entity: parser})


@dlt.source(name="social", schema_contract=SCHEMA_CONTRACT)
def social_source(
    landing_dir: Path, test_email_patterns: Sequence[str] | None = None
) -> Iterable[DltResource]:
    """LinkedIn pages under `<landing_dir>/social/{forms,responses,reactions,comments}/`.

    Test emails are not filtered here: which answer is the email needs the forms (dbt does it).
    `test_email_patterns` is accepted for the common channel signature.
    """
    del test_email_patterns
    return (
        _elements_resource(
            landing_dir,
            "social/forms",
            "form",
            EntityParser(
                FORMS,
                lambda record: parse_form(record.value),
                children={"questions": FORM_QUESTIONS},
            ),
        ),
        _elements_resource(
            landing_dir,
            "social/responses",
            "response",
            EntityParser(
                RESPONSES,
                lambda record: parse_response(record.value),
                children={"answers": RESPONSE_ANSWERS},
            ),
        ),
        _elements_resource(
            landing_dir,
            "social/reactions",
            "reaction",
            EntityParser(REACTIONS, lambda record: parse_reaction(record.value)),
        ),
        _elements_resource(
            landing_dir,
            "social/comments",
            "comment",
            EntityParser(COMMENTS, lambda record: parse_comment(record.value)),
        ),
    )
