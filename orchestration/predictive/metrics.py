"""How good a ranking or a probability is: the figures of marts.model_metrics and the backtest."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

CALIBRATION_BINS = 10
TOP_DECILE = 0.10


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    leads: int
    mean_probability: float
    conversion_rate: float


def expected_calibration_error(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """Σ over 10 equal-width probability bins of |mean probability − conversion rate| × share."""
    return sum(
        abs(b.mean_probability - b.conversion_rate) * b.leads / len(labels)
        for b in calibration_curve(labels, probabilities)
    )


def calibration_curve(labels: np.ndarray, probabilities: np.ndarray) -> list[CalibrationBin]:
    """The non-empty bins of [0, 1] in tenths (1.0 falls in the last) with their rates."""
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    bins = np.clip(np.digitize(probabilities, edges[1:-1], right=False), 0, CALIBRATION_BINS - 1)
    curve = []
    for index in range(CALIBRATION_BINS):
        members = bins == index
        if members.any():
            curve.append(
                CalibrationBin(
                    lower=float(edges[index]),
                    upper=float(edges[index + 1]),
                    leads=int(members.sum()),
                    mean_probability=float(probabilities[members].mean()),
                    conversion_rate=float(labels[members].mean()),
                )
            )
    return curve


def top_share_lift(labels: np.ndarray, scores: np.ndarray, share: float = TOP_DECILE) -> float:
    """Conversion rate of the top `share` of leads by score, over the overall rate."""
    base = labels.mean()
    if base == 0:
        return float("nan")
    top = max(1, int(np.ceil(len(scores) * share)))
    return float(labels[_ranked(scores)[:top]].mean() / base)


def precision_at_capacity(labels: np.ndarray, scores: np.ndarray, capacity: int) -> float:
    """Share of converters among the `capacity` best-scored leads (what sales can work)."""
    top = min(capacity, len(scores))
    return float(labels[_ranked(scores)[:top]].mean()) if top else float("nan")


def _ranked(scores: np.ndarray) -> np.ndarray:
    # stable, so ties keep their input order and the figures are reproducible
    return np.argsort(-scores, kind="stable")


def ranking_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC, or nan when only one outcome is present."""
    return float(roc_auc_score(labels, scores)) if len(set(labels.tolist())) == 2 else float("nan")


def probability_metrics(
    labels: np.ndarray, probabilities: np.ndarray, capacity: int
) -> dict[str, object]:
    """Every figure of one model on one (validation) set."""
    both = len(set(labels.tolist())) == 2
    return {
        "leads": len(labels),
        "conversions": int(labels.sum()),
        "roc_auc": ranking_auc(labels, probabilities),
        "pr_auc": float(average_precision_score(labels, probabilities)) if both else float("nan"),
        "brier": float(brier_score_loss(labels, probabilities)),
        "ece": float(expected_calibration_error(labels, probabilities)),
        "top_decile_lift": top_share_lift(labels, probabilities),
        "precision_at_capacity": precision_at_capacity(labels, probabilities, capacity),
        "calibration_curve": [bin_.__dict__ for bin_ in calibration_curve(labels, probabilities)],
    }
