"""The one webhook sender: a JSON POST with timeouts, retries and backoff, and its outcome.

Both senders of leadscore use it: failure alerts (`orchestration/alerts.py`, to
LEADSCORE_ALERT_WEBHOOK_URL) and the score acts' messages
(`orchestration/score_actions/webhook_delivery.py`, to LEADSCORE_SCORE_WEBHOOK_URLS).
Each records what it sent from the same two things: `json_body` (the exact text posted)
and the `Delivery` (delivered or not, tries, last HTTP status, error). A webhook URL often
carries its token, so it never appears in an error or a record: `webhook_id` stands for it.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Retried: timeouts, connection errors and these answers; any other status is final.
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
REQUEST_TIMEOUT_SECONDS = 10.0
# A receiver's Retry-After is honoured up to this many seconds (a longer wait is capped).
MAX_RETRY_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class Delivery:
    """The outcome of one webhook post, after its retries."""

    delivered: bool  # a 2xx answer
    attempts: int  # HTTP tries made (0: nothing was sent)
    http_status: int | None = None  # the last answer's status; None when none came back
    error: str | None = None  # why it was not delivered (never the URL)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `attempts` tries, waiting `backoff_seconds` doubled after each."""

    attempts: int = 4
    backoff_seconds: float = 1.0
    timeout_seconds: float = REQUEST_TIMEOUT_SECONDS

    def wait_before(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before try `attempt` + 1."""
        backoff: float = self.backoff_seconds * 2.0 ** (attempt - 1)
        if retry_after is None:
            return backoff
        return max(backoff, min(retry_after, MAX_RETRY_AFTER_SECONDS))


def json_body(payload: Mapping[str, Any]) -> str:
    """The JSON text that is posted, and recorded as sent."""
    return json.dumps(payload, default=str)


def webhook_id(url: str) -> str:
    """A stable stand-in for a URL in records and logs (the URL may hold a token)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def post_json(
    url: str,
    payload: Mapping[str, Any],
    policy: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST `payload` as JSON; retry timeouts, connection errors, 408, 429 and 5xx."""
    body = json_body(payload).encode("utf-8")
    status: int | None = None
    error = ""
    for attempt in range(1, policy.attempts + 1):
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        retry_after = None
        try:
            with urllib.request.urlopen(request, timeout=policy.timeout_seconds) as answer:  # noqa: S310
                return Delivery(delivered=True, attempts=attempt, http_status=answer.status)
        except urllib.error.HTTPError as failure:
            status, error = failure.code, f"HTTP {failure.code}"
            if failure.code not in RETRYABLE_STATUS:
                return Delivery(False, attempt, status, error)
            retry_after = _seconds(failure.headers.get("Retry-After"))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as failure:
            status, error = None, str(getattr(failure, "reason", failure))
        if attempt < policy.attempts:
            sleep(policy.wait_before(attempt, retry_after))
    return Delivery(False, policy.attempts, status, error or "not sent")


def _seconds(header: str | None) -> float | None:
    """A Retry-After given in seconds (an HTTP date is ignored: the backoff applies)."""
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None
