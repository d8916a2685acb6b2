"""Bias audit: how scores, probabilities and calibration differ by country, company size and
industry, and which features act as proxies for those attributes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from orchestration.predictive.metrics import expected_calibration_error

AUDITED_ATTRIBUTES = ("country", "company_size", "industry")
# A feature this associated with an audited attribute (correlation ratio or Cramér's V) is
# flagged as a proxy: excluding the attribute alone would not remove its effect.
PROXY_THRESHOLD = 0.5
COMPANY_SIZES = ((1, 49, "1-49"), (50, 199, "50-199"), (200, 999, "200-999"), (1000, None, "1000+"))


def company_size(employee_count: pd.Series) -> pd.Series:
    """Employee counts in the audit's size bands (`unknown` when missing)."""
    labels = pd.Series("unknown", index=employee_count.index, dtype="object")
    for low, high, label in COMPANY_SIZES:
        inside = employee_count >= low
        if high is not None:
            inside &= employee_count <= high
        labels[inside.fillna(False)] = label
    return labels


def segment_table(predictions: pd.DataFrame, attribute: str) -> pd.DataFrame:
    """Per value of `attribute`: leads, conversion rate, score and probability spread, ECE."""
    rows = []
    for value, group in predictions.groupby(attribute, dropna=False, sort=True):
        labels = group["converted"].to_numpy()
        probability = group["conversion_probability"].to_numpy(dtype="float64")
        has_probability = not np.isnan(probability).all()
        rows.append(
            {
                "attribute": attribute,
                "value": "unknown" if pd.isna(value) else str(value),
                "leads": len(group),
                "conversions": int(labels.sum()),
                "conversion_rate": float(labels.mean()),
                "mean_rule_score": float(group["rule_total_score"].mean()),
                "median_rule_score": float(group["rule_total_score"].median()),
                "mean_probability": float(np.nanmean(probability)) if has_probability else None,
                "p90_probability": float(np.nanquantile(probability, 0.9))
                if has_probability
                else None,
                "ece": float(expected_calibration_error(labels, probability))
                if has_probability
                else None,
            }
        )
    return pd.DataFrame(rows)


def proxy_table(features: pd.DataFrame, attributes: pd.DataFrame) -> pd.DataFrame:
    """Each feature's strongest association with an audited attribute; `is_proxy` over 0.5."""
    rows = []
    for feature in features.columns:
        for attribute in attributes.columns:
            if feature == attribute or (
                attribute == "company_size" and feature == "employee_count"
            ):
                continue  # the attribute itself: excluding it is a setting, not a proxy
            strength = _association(features[feature], attributes[attribute])
            rows.append({"feature": feature, "attribute": attribute, "association": strength})
    table = pd.DataFrame(rows, columns=["feature", "attribute", "association"])
    if table.empty:
        return table.assign(is_proxy=pd.Series(dtype=bool))
    table = table.sort_values("association", ascending=False).drop_duplicates("feature")
    table["is_proxy"] = table["association"] >= PROXY_THRESHOLD
    return table.reset_index(drop=True)


def _association(feature: pd.Series, attribute: pd.Series) -> float:
    groups = attribute.fillna("unknown").astype(str)
    if feature.dtype == object or isinstance(feature.dtype, pd.CategoricalDtype):
        return _cramers_v(feature.fillna("unknown").astype(str), groups)
    values = feature.astype("float64").fillna(0.0)
    total = ((values - values.mean()) ** 2).sum()
    if total == 0:
        return 0.0
    means = values.groupby(groups).transform("mean")
    between = ((means - values.mean()) ** 2).sum()
    return float(np.sqrt(between / total))  # the correlation ratio η


def _cramers_v(left: pd.Series, right: pd.Series) -> float:
    table = pd.crosstab(left, right).to_numpy(dtype="float64")
    if min(table.shape) < 2:
        return 0.0
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    chi2 = ((table - expected) ** 2 / expected).sum()
    return float(np.sqrt(chi2 / table.sum() / (min(table.shape) - 1)))


def bias_audit(
    predictions: pd.DataFrame, features: pd.DataFrame, profile_attributes: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The audit tables: one per audited attribute (on the validation cutoff) and the proxies.

    `predictions`: validation leads (index cutoff, lead_id) with `converted`,
    `conversion_probability`, `rule_total_score`; `profile_attributes`: `lead_id`, `country`,
    `industry`, `employee_count`.
    """
    attributes = profile_attributes.set_index("lead_id")
    lead_ids = predictions.index.get_level_values("lead_id")
    joined = predictions.reset_index(drop=True)
    joined["country"] = attributes["country"].reindex(lead_ids).to_numpy()
    joined["industry"] = attributes["industry"].reindex(lead_ids).to_numpy()
    joined["company_size"] = company_size(
        attributes["employee_count"].reindex(lead_ids).reset_index(drop=True).astype("float64")
    ).to_numpy()
    tables = {attribute: segment_table(joined, attribute) for attribute in AUDITED_ATTRIBUTES}
    audited = joined[list(AUDITED_ATTRIBUTES)]
    tables["proxies"] = proxy_table(features.reset_index(drop=True), audited)
    return tables


def audit_as_records(tables: dict[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """The audit tables as JSON-ready records (model metadata)."""
    return {
        name: table.replace({np.nan: None}).to_dict("records") for name, table in tables.items()
    }
