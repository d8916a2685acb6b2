"""Is a load's volume far outside its source's recent range? (median ± k·MAD)"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class VolumeVerdict:
    """The newest load against the range of the earlier ones."""

    delivered: int
    earlier_loads: int
    median: float | None = None
    mad: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def has_verdict(self) -> bool:
        return self.low is not None

    @property
    def is_outlier(self) -> bool:
        if self.low is None or self.high is None:  # no verdict
            return False
        return not (self.low <= self.delivered <= self.high)


def volume_verdict(
    delivered: int,
    earlier: Sequence[int],
    mad_k: float,
    min_loads: int,
    min_relative_band: float,
) -> VolumeVerdict:
    """Compare `delivered` with median ± max(k·MAD, min_relative_band·median) of `earlier`.

    The MAD (median absolute deviation) ignores a few wild loads, unlike a standard deviation;
    the relative floor keeps a run of identical loads (MAD 0) from flagging any change.
    """
    if len(earlier) < min_loads:
        return VolumeVerdict(delivered=delivered, earlier_loads=len(earlier))
    median = statistics.median(earlier)
    mad = statistics.median(abs(value - median) for value in earlier)
    half_width = max(mad_k * mad, min_relative_band * median)
    return VolumeVerdict(
        delivered=delivered,
        earlier_loads=len(earlier),
        median=median,
        mad=mad,
        low=median - half_width,
        high=median + half_width,
    )
