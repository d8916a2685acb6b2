"""The score acts: alert webhooks and Salesforce write-back as assets after the scores.

Downstream of the scoring marts, so both the nightly run and every micro-batch run them;
each does nothing (and says so) unless configured. The logic is in
`orchestration/score_actions/`; these bodies open the warehouse, call it, report counts.
"""

from collections.abc import Callable
from typing import Any, Protocol

import dagster as dg
import duckdb

from orchestration.resources import ScoreActionsResource, WarehouseResource
from orchestration.score_actions.salesforce_writeback import write_back_scores
from orchestration.score_actions.webhook_delivery import deliver_score_webhooks

OWNERS = ["team:data-engineering"]
LEAD_SCORES = dg.AssetKey(["marts", "lead_scores"])
SCORE_ALERTS = dg.AssetKey(["marts", "score_alerts"])
LEAD_PROFILES = dg.AssetKey(["marts", "lead_profiles"])


@dg.asset(
    key=["actions", "score_webhooks"],
    deps=[SCORE_ALERTS, LEAD_SCORES, LEAD_PROFILES],
    group_name="actions",
    description="Posts each new threshold crossing (`marts.score_alerts`) and band change as "
    "a Slack-compatible JSON message to LEADSCORE_SCORE_WEBHOOK_URLS, once, recorded in "
    "`actions.webhook_messages`.",
    owners=OWNERS,
    kinds={"python", "duckdb"},
    pool="duckdb",
)
def score_webhooks(
    warehouse: WarehouseResource, score_actions: ScoreActionsResource
) -> dg.MaterializeResult[Any]:
    urls = score_actions.webhook_urls
    return _act(
        warehouse,
        bool(urls),
        lambda connection: deliver_score_webhooks(connection, urls, score_actions.post_json),
    )


@dg.asset(
    key=["actions", "salesforce_writeback"],
    deps=[LEAD_SCORES, LEAD_PROFILES],
    group_name="actions",
    description="Writes changed scores, bands and owners to the Salesforce Lead fields of "
    "LEADSCORE_SALESFORCE_FIELDS (sObject Collections, 200 a call), recorded in "
    "`actions.salesforce_writes`.",
    owners=OWNERS,
    kinds={"python", "salesforce"},
    pool="duckdb",
)
def salesforce_writeback(
    warehouse: WarehouseResource, score_actions: ScoreActionsResource
) -> dg.MaterializeResult[Any]:
    fields = sorted(score_actions.salesforce_fields.items())
    return _act(
        warehouse,
        bool(fields),
        lambda connection: write_back_scores(connection, fields, score_actions.salesforce_patch),
    )


class _Report(Protocol):
    def metadata(self) -> dict[str, int]: ...


def _act(
    warehouse: WarehouseResource,
    enabled: bool,
    action: Callable[[duckdb.DuckDBPyConnection], _Report],
) -> dg.MaterializeResult[Any]:
    """Run one action on a write connection when configured; its counts as metadata."""
    if not enabled:
        return dg.MaterializeResult(metadata={"enabled": False})
    with warehouse.connect() as connection:
        report = action(connection)
    return dg.MaterializeResult(metadata={"enabled": True, **report.metadata()})
