"""How numbers read in the report: counts with thousands separators, rates as percentages,
money in dollars, lifts as multiples."""

from __future__ import annotations

import math


def count(value: float) -> str:
    return f"{value:,.0f}"


def decimal(value: float) -> str:
    return f"{value:,.2f}"


def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def money(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"${value / 1_000:.0f}k"
    return f"${value:,.0f}"


def multiple(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.2f}×"


def days(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.1f} d"
