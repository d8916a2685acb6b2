"""Backtesting rule sets: replay each one as of past cutoffs and compare how well it ranked
the leads that then converted; `suggest_points` proposes points learned from the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression

from orchestration.config.rules import BANDS, RuleSet, load_rules
from orchestration.predictive.metrics import precision_at_capacity, ranking_auc
from orchestration.predictive.replay import ScratchWarehouse, replay_scores

PROFILES_SQL = "select lead_id, first_seen_at, converted_at from marts.lead_profiles"


@dataclass
class RuleSetResult:
    """How one rule set did over the replayed cutoffs."""

    name: str
    rules_version: str
    roc_auc: float
    hot_lift: float
    precision_at_capacity: float
    bands: pd.DataFrame  # band, leads, conversions, conversion_rate
    band_change_share: float  # against the first rule set
    scored: pd.DataFrame = field(repr=False)  # cutoff, lead_id, total_score, band, converted
    hits: pd.DataFrame = field(repr=False)  # cutoff, lead_id, rule_id, hits


def labelled(scores: pd.DataFrame, profiles: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """The scored leads that were known and not yet converted at each cutoff, with the label."""
    frame = scores.merge(profiles, on="lead_id", how="inner")
    instant = frame["cutoff"] + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    first_seen = pd.to_datetime(frame["first_seen_at"])
    converted_at = pd.to_datetime(frame["converted_at"])
    pending = (first_seen <= instant) & ~(converted_at <= instant)
    frame["converted"] = (
        (converted_at > instant) & (converted_at <= instant + pd.Timedelta(days=horizon_days))
    ).astype(int)
    return frame[pending].drop(columns=["first_seen_at", "converted_at"]).reset_index(drop=True)


def evaluate(
    name: str, rules: RuleSet, scored: pd.DataFrame, hits: pd.DataFrame, capacity: int
) -> RuleSetResult:
    """The figures of one rule set over every cutoff (precision averaged per cutoff)."""
    labels = scored["converted"].to_numpy()
    overall = labels.mean() if len(labels) else float("nan")
    bands = (
        scored.groupby("band")["converted"]
        .agg(leads="size", conversions="sum")
        .reindex(list(BANDS), fill_value=0)
        .reset_index()
    )
    bands["conversion_rate"] = bands["conversions"] / bands["leads"].replace(0, np.nan)
    hot_rate = bands.loc[bands["band"] == "hot", "conversion_rate"].iloc[0]
    precision = np.nanmean(
        [
            precision_at_capacity(
                group["converted"].to_numpy(), group["total_score"].to_numpy(), capacity
            )
            for _, group in scored.groupby("cutoff")
        ]
    )
    return RuleSetResult(
        name=name,
        rules_version=rules.rules_version,
        roc_auc=ranking_auc(labels, scored["total_score"].to_numpy(dtype="float64")),
        hot_lift=float(hot_rate / overall) if overall else float("nan"),
        precision_at_capacity=float(precision),
        bands=bands,
        band_change_share=0.0,
        scored=scored,
        hits=hits,
    )


def band_change_share(first: pd.DataFrame, other: pd.DataFrame) -> float:
    """Share of (cutoff, lead) rows whose band differs between two rule sets."""
    joined = first.merge(other, on=["cutoff", "lead_id"], suffixes=("_a", "_b"))
    return float((joined["band_a"] != joined["band_b"]).mean()) if len(joined) else float("nan")


def backtest_rule_sets(
    scratch: ScratchWarehouse,
    rules_files: Sequence[Path],
    cutoffs: Sequence[date],
    horizon_days: int,
    capacity: int,
) -> list[RuleSetResult]:
    """Replay every rules file as of every cutoff in the scratch copy and evaluate it."""
    profiles = scratch.frame(PROFILES_SQL)
    results: list[RuleSetResult] = []
    for path in rules_files:
        rules = load_rules(path)
        scratch.use_rules(rules)
        scores, hits = replay_scores(scratch, cutoffs)
        scored = labelled(scores, profiles, horizon_days)
        result = evaluate(str(path), rules, scored, hits, capacity)
        if results:
            result.band_change_share = band_change_share(results[0].scored, scored)
        results.append(result)
    return results


def suggest_points(result: RuleSetResult, regularization: float = 1.0) -> dict[str, float]:
    """Points per rule from an L2-regularized logistic regression on (decayed) rule hits.

    The coefficients are scaled so the largest absolute one gets the largest absolute points
    of the rules it learned from, keeping the grade and band thresholds meaningful.
    """
    rows = result.scored[["cutoff", "lead_id", "converted"]]
    counts = result.hits.pivot_table(
        index=["cutoff", "lead_id"], columns="rule_id", values="hits", aggfunc="sum", fill_value=0
    )
    design = rows.set_index(["cutoff", "lead_id"]).join(counts).fillna(0.0)
    rule_ids = [column for column in design.columns if column != "converted"]
    model = LogisticRegression(C=regularization, max_iter=2000, random_state=0)
    model.fit(design[rule_ids].to_numpy(dtype="float64"), design["converted"].to_numpy())
    return dict(zip(rule_ids, model.coef_[0].tolist(), strict=True))


def suggested_rules_document(
    source: Path, coefficients: dict[str, float], rules: RuleSet
) -> dict[str, Any]:
    """The source rules file with every rule's points replaced by its rounded suggestion."""
    document: dict[str, Any] = yaml.safe_load(source.read_text())
    current = [abs(rule.points) for rule in rules.engagement] + [
        abs(rule.points) for rule in rules.fit
    ]
    largest = max(abs(value) for value in coefficients.values()) if coefficients else 0.0
    scale = max(current) / largest if largest else 0.0
    for section in ("engagement", "fit"):
        for rule in document.get(section, []):
            if rule.get("disqualify"):
                continue  # a disqualifier stays a disqualifier
            rule["points"] = round(coefficients.get(rule["id"], 0.0) * scale)
    return document


def write_suggested_rules(
    source: Path, coefficients: dict[str, float], rules: RuleSet, target: Path
) -> RuleSet:
    """Write the suggested rules file and validate it like any other (config/rules.py)."""
    document = suggested_rules_document(source, coefficients, rules)
    header = (
        f"# Suggested by `leadscore backtest --suggest` from {source.name}: points from a\n"
        "# regularized logistic regression on (decayed) rule hits, rounded to whole points.\n"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    return load_rules(target)


def ranked(results: Sequence[RuleSetResult]) -> list[RuleSetResult]:
    """Best first: ROC AUC against the next-horizon conversions, then hot-band lift."""
    return sorted(results, key=lambda r: (-_or_minus(r.roc_auc), -_or_minus(r.hot_lift)))


def _or_minus(value: float) -> float:
    return -1.0 if np.isnan(value) else value


def report_lines(results: Sequence[RuleSetResult], capacity: int) -> list[str]:
    """The comparison as a table, best first, then each set's bands."""
    lines = [
        f"{'rank':<5}{'rules file':<40}{'version':<14}{'ROC AUC':>8}{'hot lift':>9}"
        f"{'prec@' + str(capacity):>10}{'band changes':>14}",
    ]
    for rank, result in enumerate(ranked(results), start=1):
        lines.append(
            f"{rank:<5}{Path(result.name).name[:39]:<40}{result.rules_version:<14}"
            f"{result.roc_auc:>8.3f}{result.hot_lift:>9.2f}{result.precision_at_capacity:>10.3f}"
            f"{result.band_change_share:>13.1%}"
        )
    for result in results:
        lines.append(f"\n{Path(result.name).name} — conversion rate by band:")
        for row in result.bands.itertuples():
            rate = "-" if pd.isna(row.conversion_rate) else f"{row.conversion_rate:.1%}"
            lines.append(
                f"  {row.band:<5} {row.leads:>7} leads {row.conversions:>6} converted {rate:>7}"
            )
    return lines
