"""The point-in-time training set: replayed features per lead and cutoff, and their labels."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Category features (text_value in marts.lead_features); every other feature is numeric.
CATEGORY_FEATURES = ("industry", "country")
# Features that count something: a missing row means none (0), not unknown.
COUNT_PREFIXES = ("activity_", "channel_", "rule_")


@dataclass(frozen=True)
class TrainingSet:
    """One row per lead and cutoff: the features as of the cutoff and the label after it."""

    features: pd.DataFrame  # index (cutoff, lead_id), one column per feature
    labels: pd.Series  # 1 = converted within the horizon after the cutoff
    cutoffs: list[pd.Timestamp]

    @property
    def converting_leads(self) -> int:
        """Distinct leads with at least one positive label: the conversions the model sees."""
        positive = self.labels[self.labels == 1]
        return int(positive.index.get_level_values("lead_id").nunique())


def feature_matrix(
    long_features: pd.DataFrame, excluded: Sequence[str] = (), columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Pivot `lead_features` rows (one per lead, cutoff and feature) into one row per lead.

    `excluded` drops features by name or shell pattern (`country`, `rule_points_fit_*`);
    `columns` fixes the columns (a trained model's), missing ones filled as absent.
    """
    index = ["cutoff", "lead_id"]
    numeric = long_features[~long_features["feature"].isin(CATEGORY_FEATURES)]
    categories = long_features[long_features["feature"].isin(CATEGORY_FEATURES)]
    wide = numeric.pivot_table(
        index=index, columns="feature", values="numeric_value", aggfunc="first", dropna=False
    )
    text = categories.pivot_table(
        index=index, columns="feature", values="text_value", aggfunc="first"
    )
    leads = long_features[index].drop_duplicates().set_index(index).index
    matrix = wide.reindex(leads).join(text.reindex(leads))
    matrix.columns.name = None
    if columns is not None:
        matrix = matrix.reindex(columns=list(columns))
    kept = [name for name in matrix.columns if not _is_excluded(name, excluded)]
    matrix = matrix[sorted(kept)]
    for name in matrix.columns:
        if name in CATEGORY_FEATURES:
            matrix[name] = matrix[name].astype("object")
        else:
            matrix[name] = pd.to_numeric(matrix[name], errors="coerce").astype("float64")
            if name.startswith(COUNT_PREFIXES):
                matrix[name] = matrix[name].fillna(0.0)
    return matrix


def without_features(training: TrainingSet, excluded: Sequence[str]) -> TrainingSet:
    """The training set minus the excluded features (names or shell patterns)."""
    kept = [name for name in training.features.columns if not _is_excluded(name, excluded)]
    return TrainingSet(training.features[kept], training.labels, training.cutoffs)


def _is_excluded(name: str, excluded: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in excluded)


def build_training_set(
    long_features: pd.DataFrame,
    conversions: pd.DataFrame,
    horizon_days: int,
    excluded: Sequence[str] = (),
) -> TrainingSet:
    """Features as of each cutoff, minus leads already converted then, labelled by the horizon.

    `long_features`: replayed `lead_features` rows with a `cutoff` day column; `conversions`:
    `lead_id`, `converted_at` (null when never) from today's profiles. A cutoff's instant is the
    end of its day; the label is 1 when the lead converts after it and within `horizon_days`.
    """
    converted_then = long_features[long_features["is_converted_at_as_of"]]
    pending = long_features[
        ~long_features.set_index(["cutoff", "lead_id"]).index.isin(
            converted_then.set_index(["cutoff", "lead_id"]).index
        )
    ]
    features = feature_matrix(pending, excluded)
    converted_at = conversions.set_index("lead_id")["converted_at"]
    cutoff = features.index.get_level_values("cutoff")
    instant = cutoff + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    when = pd.to_datetime(
        converted_at.reindex(features.index.get_level_values("lead_id")).to_numpy(), utc=True
    ).tz_localize(None)
    horizon_end = instant + pd.Timedelta(days=horizon_days)
    converted = np.asarray((when > instant) & (when <= horizon_end), dtype=bool)
    labels = pd.Series(converted.astype(int), index=features.index, name="converted")
    return TrainingSet(features, labels, sorted(cutoff.unique()))
