"""CRM channel: Salesforce SOQL pages of leads, opportunities and tasks."""

from collections.abc import Callable
from datetime import UTC, date, datetime

from raw_load import RawLoad

from ingestion.crm import parse_lead, parse_task
from ingestion.parsing.emails import DEFAULT_TEST_EMAIL_PATTERNS
from ingestion.parsing.fields import Rejection

LEAD_ID = "00Q000000000001AAA"


def test_task_without_last_modified_uses_created() -> None:
    raw = {
        "attributes": {"type": "Task"},
        "Id": "00T1",
        "WhoId": "003000000000001AAA",
        "Type": "Demo",
        "CallDurationInSeconds": "600",
        "ActivityDate": "2026-06-22",
        "CreatedDate": "2026-06-22T13:00:00.000+0000",
    }
    assert parse_task(raw) == {
        "id": "00T1",
        "who_id": "003000000000001AAA",
        "subject": None,
        "type": "Demo",
        "call_duration_in_seconds": 600,
        "activity_date": date(2026, 6, 22),
        "status": None,
        "created_date": datetime(2026, 6, 22, 13, tzinfo=UTC),
        "last_modified_date": datetime(2026, 6, 22, 13, tzinfo=UTC),
    }


def test_test_lead_is_filtered_before_its_missing_id() -> None:
    assert parse_lead({"Email": " TEST+sf@corp.com"}, DEFAULT_TEST_EMAIL_PATTERNS) == Rejection(
        "filtered", "test_record: email matches test+*@*"
    )
    assert parse_lead(
        {"Id": LEAD_ID, "IsConverted": "yes", "LastModifiedDate": "2026-06-02"}, ()
    ) == (Rejection("quarantined", "wrong_type: IsConverted not a boolean"))


def test_crm_pages_keep_every_record_version(channel_run: Callable[[str], RawLoad]) -> None:
    run = channel_run("crm")
    run.run()

    assert run.counts() == {
        "leads": 3,
        "leads_rejected": 3,
        "opportunities": 1,
        "opportunities_rejected": 1,
        "tasks": 2,
        "tasks_rejected": 1,
    }
    # Re-exported unchanged: one row; converted later: a second version.
    assert run.rows(
        "select id, last_modified_date, is_converted, converted_date, converted_contact_id, "
        "is_deleted, master_record_id, number_of_employees from raw_crm.leads order by 1, 2"
    ) == [
        (LEAD_ID, datetime(2026, 6, 2, 10, tzinfo=UTC), False, None, None, False, None, 250),
        (
            LEAD_ID,
            datetime(2026, 6, 20, 16, 30, tzinfo=UTC),
            True,
            date(2026, 6, 20),
            "003000000000001AAA",
            False,
            None,
            250,
        ),
        (
            "00Q000000000003AAA",
            datetime(2026, 6, 5, 10, tzinfo=UTC),
            False,
            None,
            None,
            True,
            LEAD_ID,
            None,
        ),
    ]
    assert run.rows("select id, is_won, close_date, amount from raw_crm.opportunities") == [
        ("006000000000001AAA", True, date(2026, 6, 28), 50000.0)
    ]
    assert run.rows(
        "select id, who_id, type, last_modified_date from raw_crm.tasks order by 1"
    ) == [
        ("00T000000000001AAA", LEAD_ID, "Call", datetime(2026, 6, 5, 13, tzinfo=UTC)),
        ("00T000000000002AAA", "003000000000001AAA", "Demo", datetime(2026, 6, 22, 15, tzinfo=UTC)),
    ]
    leads = "crm/leads/leads-0001.json"
    assert (
        run.rejected("leads_rejected")
        + run.rejected("opportunities_rejected")
        + run.rejected("tasks_rejected")
    ) == [
        (leads, "lead", 2, "filtered", "test_record: email matches *@mailinator.com"),
        (leads, "lead", 3, "quarantined", "missing_field: LastModifiedDate"),
        (leads, "lead", 5, "quarantined", "wrong_type: NumberOfEmployees not an integer"),
        (
            "crm/opportunities/opportunities-0001.json",
            "opportunity",
            2,
            "quarantined",
            "wrong_type: CloseDate not an ISO date",
        ),
        ("crm/tasks/tasks-0001.json", "task", 3, "quarantined", "missing_field: CreatedDate"),
    ]

    before = run.snapshot()
    assert run.run().loads_ids == []
    assert run.snapshot() == before

    (run.landing_dir / "crm" / "opportunities" / "opportunities-0002.json").write_text(
        '{"totalSize": 1, "done": true, "records": [{"Id": "006000000000003AAA", '
        '"IsWon": false, "LastModifiedDate": "2026-07-01T08:00:00.000+0000"}]}'
    )
    run.run()
    assert run.counts()["opportunities"] == 2
    assert run.counts()["leads"] == 3
