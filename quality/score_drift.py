"""Drift of the score distribution between two scored days: PSI, hot-lead jumps."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence

# A bin empty on one side would make PSI infinite: count it as this share instead.
EMPTY_BIN_SHARE = 1e-4
DECILES = 10


def population_stability_index(expected: Sequence[float], actual: Sequence[float]) -> float:
    """PSI = Σ (a − e) · ln(a / e) over matching bins of two share vectors (each sums to 1)."""
    total = 0.0
    for e, a in zip(expected, actual, strict=True):
        e, a = max(e, EMPTY_BIN_SHARE), max(a, EMPTY_BIN_SHARE)
        total += (a - e) * math.log(a / e)
    return total


def shares(counts: Sequence[int]) -> list[float]:
    size = sum(counts)
    return [count / size if size else 0.0 for count in counts]


def decile_edges(values: Sequence[float]) -> list[float]:
    """The distinct inner decile edges of `values` (ties collapse, e.g. many zero scores)."""
    ordered = sorted(values)
    if not ordered:
        return []
    cuts = {
        ordered[min(len(ordered) - 1, len(ordered) * step // DECILES)] for step in range(1, DECILES)
    }
    return sorted(cuts)


def binned_counts(values: Sequence[float], edges: Sequence[float]) -> list[int]:
    """How many values fall in each bin (-inf, e1), [e1, e2), ..., [ek, inf)."""
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[bisect.bisect_right(edges, value)] += 1
    return counts


def total_score_psi(previous: Sequence[float], current: Sequence[float]) -> float:
    """PSI of the totals, binned by the previous day's deciles."""
    edges = decile_edges(previous)
    return population_stability_index(
        shares(binned_counts(previous, edges)), shares(binned_counts(current, edges))
    )


def band_psi(previous: Sequence[str], current: Sequence[str]) -> float:
    """PSI of the band mix (hot/warm/cold and any other band seen)."""
    bands = sorted(set(previous) | set(current))
    before, after = Counter(previous), Counter(current)
    return population_stability_index(
        shares([before[band] for band in bands]), shares([after[band] for band in bands])
    )
