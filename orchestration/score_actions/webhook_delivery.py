"""Alert webhooks: each threshold crossing and band change posted once to every URL.

State lives in the warehouse (`actions.webhook_messages`, `actions.band_states`), written
by the same single writer as the rest, so a rerun (nightly or micro-batch) finds what was
sent and sends only what is new. A message is recorded `pending` before it is posted and
`sent` after a 2xx, so a crash in between repeats at most that one message. A failed post
(after the one webhook sender's retries on 429/5xx/timeouts, `orchestration/webhooks.py`)
stays `failed` and is tried
again by the next run, at most `MAX_ATTEMPTS` times. Alerts that existed before a URL was
first configured are recorded `skipped_backlog`, not sent: configuring a webhook on a
warehouse with months of alerts must not flood a channel.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from orchestration.score_actions.alert_messages import band_change_message, threshold_message
from orchestration.webhooks import Delivery, json_body, webhook_id

MAX_ATTEMPTS = 5

SCHEMA_SQL = """
create schema if not exists actions;
create table if not exists actions.webhook_messages (
    message_key varchar not null,     -- alert:<alert_id> or band:<lead_id>:<from>:<to>:<n>
    webhook_id varchar not null,      -- sha256 of the URL: the URL itself may hold a token
    kind varchar not null,            -- threshold_crossed | band_changed
    lead_id varchar not null,
    payload varchar not null,         -- the JSON body posted
    status varchar not null,          -- pending | sent | failed | skipped_backlog
    attempts integer not null,
    http_status integer,
    recorded_at timestamp not null,
    primary key (message_key, webhook_id)
);
create table if not exists actions.band_states (
    lead_id varchar primary key,
    band varchar not null,
    changes integer not null,         -- band changes seen so far (part of the message key)
    updated_at timestamp not null
);
"""

NEW_ALERTS_SQL = """
select alerts.alert_id, alerts.lead_id, alerts.threshold, alerts.crossed_at,
    alerts.total_score, alerts.band, alerts.owner, profiles.email
from marts.score_alerts as alerts
left join marts.lead_profiles as profiles on alerts.lead_id = profiles.lead_id
where not exists (
    select 1 from actions.webhook_messages as messages
    where messages.message_key = 'alert:' || alerts.alert_id and messages.webhook_id = ?
)
order by alerts.crossed_at, alerts.alert_id
"""

BAND_CHANGES_SQL = """
select scores.lead_id, states.band as previous_band, scores.band, scores.total_score,
    scores.owner, profiles.email, states.changes + 1 as change_number
from marts.lead_scores as scores
inner join actions.band_states as states on scores.lead_id = states.lead_id
left join marts.lead_profiles as profiles on scores.lead_id = profiles.lead_id
where scores.band <> states.band
order by scores.lead_id
"""

# New leads get a state without a message; changed leads move on (after queuing theirs).
UPDATE_BAND_STATES_SQL = """
insert or replace into actions.band_states
select scores.lead_id, scores.band,
    coalesce(states.changes, 0) + case
        when states.band is not null and states.band <> scores.band then 1 else 0 end,
    now()
from marts.lead_scores as scores
left join actions.band_states as states on scores.lead_id = states.lead_id
where states.lead_id is null or states.band <> scores.band
"""

DUE_SQL = """
select message_key, webhook_id, payload, attempts from actions.webhook_messages
where status in ('pending', 'failed') and attempts < ?
order by recorded_at, message_key
"""

QUEUE_SQL = """
insert or ignore into actions.webhook_messages
values (?, ?, ?, ?, ?, ?, 0, null, now())
"""

RESULT_SQL = """
update actions.webhook_messages set status = ?, attempts = attempts + 1, http_status = ?,
    recorded_at = now()
where message_key = ? and webhook_id = ?
"""

# (url, JSON body) -> its delivery (orchestration.webhooks.post_json with a retry policy)
Poster = Callable[[str, dict[str, Any]], Delivery]


@dataclass(frozen=True)
class DeliveryReport:
    """What one run did, by status."""

    counts: dict[str, int]

    def metadata(self) -> dict[str, int]:
        return {f"messages_{status}": count for status, count in sorted(self.counts.items())}


def deliver_score_webhooks(
    connection: duckdb.DuckDBPyConnection, urls: Sequence[str], post: Poster
) -> DeliveryReport:
    """Queue new crossings and band changes for every URL, then post everything due."""
    connection.execute(SCHEMA_SQL)
    counts: Counter[str] = Counter()
    has_band_states = connection.execute("select count(*) from actions.band_states").fetchall()
    band_changes = _rows(connection, BAND_CHANGES_SQL) if has_band_states[0][0] else []
    by_id = {webhook_id(url): url for url in urls}
    for hook in by_id:
        is_new_hook = not connection.execute(
            "select count(*) from actions.webhook_messages where webhook_id = ?", [hook]
        ).fetchall()[0][0]
        status = "skipped_backlog" if is_new_hook else "pending"
        queued = [
            _queued(f"alert:{alert['alert_id']}", hook, threshold_message(alert), status)
            for alert in _rows(connection, NEW_ALERTS_SQL, [hook])
        ]
        if queued:
            counts["queued" if status == "pending" else status] += len(queued)
        for change in band_changes:
            key = (
                f"band:{change['lead_id']}:{change['previous_band']}:{change['band']}:"
                f"{change['change_number']}"
            )
            queued.append(_queued(key, hook, band_change_message(change), "pending"))
            counts["queued"] += 1
        if queued:
            connection.executemany(QUEUE_SQL, queued)
    connection.execute(UPDATE_BAND_STATES_SQL)
    for key, hook, payload, _attempts in connection.execute(DUE_SQL, [MAX_ATTEMPTS]).fetchall():
        if hook not in by_id:
            continue  # a URL no longer configured
        delivery = post(by_id[hook], json.loads(payload))
        status = "sent" if delivery.delivered else "failed"
        connection.execute(RESULT_SQL, [status, delivery.http_status, key, hook])
        counts[status] += 1
    return DeliveryReport(dict(counts))


def _queued(key: str, hook: str, message: dict[str, Any], status: str) -> list[str]:
    """The QUEUE_SQL parameters of one message."""
    kind = message["leadscore"]["event"]
    lead_id = message["leadscore"]["lead_id"]
    return [key, hook, kind, lead_id, json_body(message), status]


def _rows(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    result = connection.execute(sql, list(parameters))
    columns = [column[0] for column in result.description]
    return [
        {name: _plain(value) for name, value in zip(columns, row, strict=True)}
        for row in result.fetchall()
    ]


def _plain(value: Any) -> Any:
    """DuckDB decimals as floats, so a row serializes to JSON."""
    return float(value) if isinstance(value, Decimal) else value
