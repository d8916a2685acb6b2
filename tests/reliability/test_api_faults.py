"""API mode under faults: rate limits, server errors, slow answers and a bad credential.

Retries are dlt's (the fast settings of `api_harness.FAST_RETRIES`: 4 attempts, delays
capped at 1 s, a 1 s timeout), so every test stays within a few seconds.
"""

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from raw_load import RawLoad

from testing.fake_apis import FakeApis, Fault

SUPPORT_COUNTS = {"tickets": 189, "tickets_rejected": 6, "users": 54}
CRM_COUNTS = {
    "leads": 286,
    "leads_rejected": 3,
    "opportunities": 10,
    "opportunities_rejected": 0,  # every declared table exists, rejected rows or not
    "tasks": 359,
    "tasks_rejected": 2,
}


def test_rate_limit_is_retried_after_the_given_delay(
    raw_load: type[RawLoad], fake_apis: FakeApis
) -> None:
    fake_apis.zendesk.inject(Fault(status=429, times=2, retry_after=1))
    api = raw_load("support")

    api.run()

    assert api.counts() == SUPPORT_COUNTS
    requests = fake_apis.zendesk.requests
    assert [r.status for r in requests] == [429, 429, 200, 200, 200]
    # The client waited the second that Retry-After asked for (its backoff alone is 0.05 s).
    assert requests[1].arrived_at - requests[0].arrived_at >= 1.0
    assert requests[2].arrived_at - requests[1].arrived_at >= 1.0
    # The retried request is the same first request: nothing skipped, nothing doubled.
    assert requests[2].params == {"start_time": "0", "include": "users"}


def test_server_errors_are_retried(raw_load: type[RawLoad], fake_apis: FakeApis) -> None:
    fake_apis.salesforce.inject(Fault(status=500, times=2))
    api = raw_load("crm")

    api.run()

    assert api.counts() == CRM_COUNTS
    assert [r.status for r in fake_apis.salesforce.requests] == [500, 500] + [200] * 6


def test_slow_answer_times_out_and_is_retried(raw_load: type[RawLoad], fake_apis: FakeApis) -> None:
    fake_apis.zendesk.inject(Fault(status=200, times=1, delay_seconds=2.5))
    api = raw_load("support")

    api.run()

    assert api.counts() == SUPPORT_COUNTS
    # The slow answer came too late (the client had gone), then the same request again.
    requests = fake_apis.zendesk.requests
    assert len(requests) == 4
    assert requests[0].params == requests[1].params == {"start_time": "0", "include": "users"}


def test_errors_beyond_the_attempts_fail_the_run_and_load_nothing(
    raw_load: type[RawLoad], fake_apis: FakeApis
) -> None:
    fake_apis.zendesk.inject(Fault(status=503, times=10))
    api = raw_load("support")

    with pytest.raises(PipelineStepFailed, match="503 Server Error"):
        api.run()

    assert [r.status for r in fake_apis.zendesk.requests] == [503] * 4
    assert api.counts() == {}


def test_bad_salesforce_token_is_a_clear_error_and_loads_nothing(
    raw_load: type[RawLoad], fake_apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCES__SALESFORCE__ACCESS_TOKEN", "expired-token-123")
    api = raw_load("crm")

    with pytest.raises(PipelineStepFailed) as failure:
        api.run()

    message = str(failure.value)
    assert "salesforce API refused the credentials (HTTP 401): check " in message
    assert "SOURCES__SALESFORCE__ACCESS_TOKEN" in message
    assert "expired-token-123" not in message
    # A 401 is not retried.
    assert [r.status for r in fake_apis.salesforce.requests] == [401]
    assert api.counts() == {}


def test_bad_zendesk_token_names_its_settings(
    raw_load: type[RawLoad], fake_apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCES__ZENDESK__API_TOKEN", "wrong-zendesk-token")
    api = raw_load("support")

    with pytest.raises(PipelineStepFailed) as failure:
        api.run()

    message = str(failure.value)
    assert "zendesk API refused the credentials (HTTP 401): check SOURCES__ZENDESK__EMAIL" in (
        message
    )
    assert "wrong-zendesk-token" not in message
    assert [r.status for r in fake_apis.zendesk.requests] == [401]
    assert api.counts() == {}


def test_missing_token_names_the_setting_before_any_request(
    raw_load: type[RawLoad], fake_apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCES__SALESFORCE__ACCESS_TOKEN")
    api = raw_load("crm")

    with pytest.raises(PipelineStepFailed, match="needs SOURCES__SALESFORCE__ACCESS_TOKEN"):
        api.run()

    assert fake_apis.salesforce.requests == []
    assert api.counts() == {}
