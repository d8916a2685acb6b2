"""Why the model scored a lead as it did: the features pushing its raw score up and down."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd

from orchestration.predictive.model import TrainedModel

REASONS_PER_SIDE = 3
_WINDOWED = re.compile(r"^(activity|channel)_(?P<what>.+)_(?:(?P<days>\d+)d|all)$")


def top_reasons(
    model: TrainedModel, features: pd.DataFrame
) -> tuple[np.ndarray, list[str], list[str]]:
    """Raw scores and, per lead, JSON lists of the three largest positive and negative shares.

    Each reason is `{feature, value, contribution}`; the shares are exact (they and the
    model's base value sum to the raw score), so they can be shown as they are.
    """
    raw, contributions = model.raw_scores_and_contributions(features)
    names = model.feature_names
    design = model.design(features)
    ups, downs = [], []
    for row in range(len(design)):
        shares = contributions[row, : len(names)]
        order = np.argsort(-shares, kind="stable")
        up = [int(i) for i in order if shares[i] > 0][:REASONS_PER_SIDE]
        down = [int(i) for i in order[::-1] if shares[i] < 0][:REASONS_PER_SIDE]
        ups.append(json.dumps([_reason(names[i], design.iat[row, i], shares[i]) for i in up]))
        downs.append(json.dumps([_reason(names[i], design.iat[row, i], shares[i]) for i in down]))
    return raw, ups, downs


def _reason(name: str, value: object, share: float) -> dict[str, object]:
    if isinstance(value, float) and math.isnan(value):
        value = None
    elif isinstance(value, np.floating | np.integer):
        value = value.item()
    return {"feature": name, "value": value, "contribution": round(float(share), 4)}


def describe_reason(reason: dict[str, object]) -> str:
    """A reason in words: 'pricing page view 3 times in 7 days: +0.12'."""
    words = describe_feature(str(reason["feature"]), reason["value"])
    return f"{words}: {float(reason['contribution']):+.2f}"  # type: ignore[arg-type]


def describe_feature(name: str, value: object) -> str:
    """A feature and its value in words."""
    match = _WINDOWED.match(name)
    number = value if isinstance(value, int | float) else None
    if match:
        what = match["what"].replace("_", " ")
        count = int(number or 0)
        when = f"in {match['days']} days" if match["days"] else "in all"
        if match.group(1) == "channel":
            return f"{count} {what} touchpoint{'s' if count != 1 else ''} {when}"
        return f"{what} {count} time{'s' if count != 1 else ''} {when}"
    if name.startswith("days_since_"):
        channel = name.removeprefix("days_since_").replace("_", " ")
        channel = "touchpoint" if channel == "any touch" else f"{channel} touchpoint"
        return f"no {channel} yet" if number is None else f"last {channel} {number:.0f} days ago"
    if name.startswith("rule_points_"):
        group = name.removeprefix("rule_points_").replace("_", " ", 1).replace("_", " ")
        return f"{group} rule points {number or 0:.1f}"
    if name == "rule_is_disqualified":
        return "disqualified by a fit rule" if number else "not disqualified"
    if name.startswith("rule_"):
        return f"rule {name.removeprefix('rule_').replace('_', ' ')} {number or 0:.1f}"
    if name == "days_known":
        return "first seen today" if not number else f"known for {number:.0f} days"
    label = name.replace("_", " ")
    return f"{label} unknown" if value is None else f"{label} {value}"
