"""The predictive part of `leadscore explain`: probability, trust, and the reasons in words."""

from __future__ import annotations

import json

import duckdb

from orchestration.predictive.reasons import describe_reason

_HAS_PREDICTIONS_SQL = """
select count(*) = 1 from information_schema.tables
where table_schema = 'predictive' and table_name = 'lead_predictions'
"""
_PREDICTION_SQL = """
select conversion_probability, raw_score, model_version, model_kind, is_trusted, reasons_up,
    reasons_down
from predictive.lead_predictions
where lead_id = ?
"""
_HAS_METRICS_SQL = """
select count(*) = 1 from information_schema.tables
where table_schema = 'marts' and table_name = 'model_metrics'
"""
_TRUST_SQL = """
select trust_reason, horizon_days from marts.model_metrics
where model_version = ? order by trained_at desc limit 1
"""


def prediction_lines(connection: duckdb.DuckDBPyConnection, lead_id: str) -> list[str]:
    """Lines about the model's view of the lead; empty when nothing was predicted yet."""
    if not connection.execute(_HAS_PREDICTIONS_SQL).fetchall()[0][0]:
        return []
    row = connection.execute(_PREDICTION_SQL, [lead_id]).fetchone()
    if row is None:
        return []
    probability, raw, version, kind, trusted, ups, downs = row
    reason, horizon = None, None
    if connection.execute(_HAS_METRICS_SQL).fetchall()[0][0]:
        trust = connection.execute(_TRUST_SQL, [version]).fetchone()
        if trust is not None:
            reason, horizon = trust
    within = f" within {horizon} days" if horizon else ""
    if probability is None:
        return [
            f"Conversion probability: none (model {version}, {kind}): "
            f"{reason or 'no model could be trained'}; the rule score stands alone."
        ]
    trust_text = "trusted" if trusted else "NOT TRUSTED (fallback)"
    lines = [
        f"Conversion probability{within}: {probability:.1%} (model {version}, {kind}, "
        f"{trust_text}{': ' + reason if reason else ''})",
        f"  raw score {raw:+.2f} (log-odds); what moved it, in log-odds:",
    ]
    lines += [f"  up    {describe_reason(item)}" for item in json.loads(ups)]
    lines += [f"  down  {describe_reason(item)}" for item in json.loads(downs)]
    return lines
