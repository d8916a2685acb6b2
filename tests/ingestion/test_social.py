"""Social channel: LinkedIn forms, responses, reactions and comments."""

from collections.abc import Callable
from datetime import UTC, datetime

from raw_load import RawLoad

from ingestion.parsing.fields import Rejection
from ingestion.social import answer_text, parse_reaction, parse_response

FORM_URN = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:9007199254740993,3)"


def test_response_parses_with_its_answers() -> None:
    raw = {
        "id": "r-1",
        "submittedAt": 1780308000000,
        "leadType": "EVENT",
        "submitter": "urn:li:person:x",
        "versionedLeadGenFormUrn": FORM_URN,
        "owner": {"organization": "urn:li:organization:1"},
        "formResponse": {
            "answers": [
                {"questionId": 7, "answerDetails": {"textQuestionAnswer": {"answer": "Ada"}}},
                {"questionId": "8", "answerDetails": {"multipleChoiceAnswer": {"options": [2]}}},
            ]
        },
    }
    assert parse_response(raw) == {
        "id": "r-1",
        "submitted_at": datetime(2026, 6, 1, 10, tzinfo=UTC),
        "lead_type": "EVENT",
        "submitter": "urn:li:person:x",
        "form_id": 9007199254740993,
        "form_version_id": 3,
        "sponsored_account": None,
        "organization": "urn:li:organization:1",
        "campaign": None,
        "answers": [
            {"response_id": "r-1", "question_id": 7, "answer": "Ada"},
            {"response_id": "r-1", "question_id": 8, "answer": "2"},
        ],
    }


def test_bad_form_urn_and_answer_without_question_are_quarantined() -> None:
    base = {"id": "r", "submittedAt": 1780308000000}
    assert parse_response({**base, "versionedLeadGenFormUrn": "urn:li:sponsoredCampaign:1"}) == (
        Rejection("quarantined", "wrong_type: versionedLeadGenFormUrn not a lead form URN")
    )
    broken = {**base, "versionedLeadGenFormUrn": FORM_URN, "formResponse": {"answers": [{}]}}
    assert parse_response(broken) == Rejection(
        "quarantined", "missing_field: formResponse.answers[1].questionId"
    )
    assert answer_text({"multipleChoiceAnswer": {"options": ["a", "b"]}}) == "a; b"


def test_organization_reaction_is_filtered_before_required_fields() -> None:
    assert parse_reaction({"created": {"actor": "urn:li:organization:42"}}) == Rejection(
        "filtered", "organization_actor: actor=urn:li:organization:42"
    )


def test_social_pages_load_once(channel_run: Callable[[str], RawLoad]) -> None:
    run = channel_run("social")
    run.run()

    assert run.counts() == {
        "comments": 2,
        "comments_rejected": 1,
        "form_questions": 3,
        # the second form has no versionId (an organic form): loaded as version 0
        "forms": 2,
        "forms_rejected": 0,
        "reactions": 2,
        "reactions_rejected": 2,
        "response_answers": 3,
        "responses": 2,
        "responses_rejected": 4,
    }
    assert run.rows(
        "select form_id, form_version_id, question_id, predefined_field, name "
        "from raw_social.form_questions order by question_id"
    ) == [
        (5551, 2, 101, "FIRST_NAME", "Prénom"),
        (5551, 2, 102, "WORK_EMAIL", "E-mail professionnel"),
        (5551, 2, 103, None, "Team size?"),
    ]
    assert run.rows(
        "select id, form_id, lead_type, campaign, organization, position "
        "from raw_social.responses order by id"
    ) == [
        ("resp-1", 5551, "SPONSORED", "urn:li:sponsoredCampaign:7", None, 1),
        ("resp-6", 5551, "COMPANY", None, "urn:li:organization:42", 6),
    ]
    assert run.rows(
        "select question_id, answer from raw_social.response_answers order by question_id"
    ) == [(101, "Ada"), (102, " Ada.Lovelace@Example.com"), (103, "11-50; 51-200")]
    # The re-delivered reaction collapses; its change (new lastModified) is a second version.
    assert run.rows(
        "select reaction_type, last_modified_at, file from raw_social.reactions order by 2"
    ) == [
        ("LIKE", datetime(2026, 6, 1, 10, tzinfo=UTC), "social/reactions/reactions-0001.json"),
        ("INTEREST", datetime(2026, 6, 2, 10, tzinfo=UTC), "social/reactions/reactions-0002.json"),
    ]
    assert run.rows(
        "select id, created_at, last_modified_at from raw_social.comments order by id"
    ) == [
        ("7101", datetime(2026, 6, 1, 10, tzinfo=UTC), datetime(2026, 6, 1, 11, tzinfo=UTC)),
        ("7102", datetime(2026, 6, 1, 10, tzinfo=UTC), datetime(2026, 6, 1, 10, tzinfo=UTC)),
    ]
    responses = "social/responses/responses-0001.json"
    reactions = "social/reactions/reactions-0001.json"
    assert (
        run.rejected("forms_rejected")
        + run.rejected("responses_rejected")
        + run.rejected("reactions_rejected")
        + run.rejected("comments_rejected")
    ) == [
        (responses, "response", 2, "filtered", "test_record: testLead=true"),
        (responses, "response", 3, "filtered", "test_record: submitter=urn:li:person:0"),
        (responses, "response", 4, "quarantined", "missing_field: versionedLeadGenFormUrn"),
        (responses, "response", 5, "quarantined", "wrong_type: submittedAt not epoch milliseconds"),
        (reactions, "reaction", 2, "filtered", "organization_actor: actor=urn:li:organization:42"),
        (reactions, "reaction", 3, "quarantined", "missing_field: created.time"),
        ("social/comments/comments-0001.json", "comment", 3, "quarantined", "missing_field: actor"),
    ]

    before = run.snapshot()
    assert run.run().loads_ids == []
    assert run.snapshot() == before

    (run.landing_dir / "social" / "comments" / "comments-0002.json").write_text(
        '{"elements": [{"id": "7101", "actor": "urn:li:person:abc123", '
        '"message": {"text": "Edited: does it integrate with HubSpot?"}, '
        '"created": {"time": 1780308000000}, "lastModified": {"time": 1780315200000}}]}'
    )
    run.run()
    assert run.counts()["comments"] == 3
    assert run.counts()["reactions"] == 2
    assert run.rows(
        "select message_text from raw_social.comments where id = '7101' order by last_modified_at"
    ) == [("Does it integrate with Salesforce?",), ("Edited: does it integrate with HubSpot?",)]
