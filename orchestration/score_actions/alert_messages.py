"""Slack-compatible alert messages (pure): a crossing or a band change in, a JSON body out.

Slack's incoming webhooks read `text` (and ignore keys they do not know); the `leadscore`
object carries the same facts for any other receiver (a workflow tool, a CRM hook).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _who(row: Mapping[str, Any]) -> str:
    return str(row.get("email") or row["lead_id"])


def threshold_message(alert: Mapping[str, Any]) -> dict[str, Any]:
    """The message of one `marts.score_alerts` row (plus the lead's email when known)."""
    owner = alert.get("owner") or "unassigned"
    return {
        "text": (
            f"Lead {_who(alert)} crossed {alert['threshold']:g} points: "
            f"{alert['total_score']:g} ({alert['band']}), owner {owner}"
        ),
        "leadscore": {
            "event": "threshold_crossed",
            "alert_id": alert["alert_id"],
            "lead_id": alert["lead_id"],
            "threshold": alert["threshold"],
            "total_score": alert["total_score"],
            "band": alert["band"],
            "owner": alert.get("owner"),
            "crossed_at": str(alert["crossed_at"]),
        },
    }


def band_change_message(change: Mapping[str, Any]) -> dict[str, Any]:
    """The message of one band change (`previous_band` -> `band`) of a lead."""
    owner = change.get("owner") or "unassigned"
    return {
        "text": (
            f"Lead {_who(change)} moved from {change['previous_band']} to {change['band']}: "
            f"{change['total_score']:g} points, owner {owner}"
        ),
        "leadscore": {
            "event": "band_changed",
            "lead_id": change["lead_id"],
            "previous_band": change["previous_band"],
            "band": change["band"],
            "total_score": change["total_score"],
            "owner": change.get("owner"),
        },
    }
