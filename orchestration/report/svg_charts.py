"""Inline SVG charts: bars (grouped), horizontal bars and lines, with titles, axis labels
and readable numbers. Pure functions from numbers to SVG text."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

ValueFormat = Callable[[float], str]

FONT = "font-family=\"Inter, 'Segoe UI', Helvetica, Arial, sans-serif\""
AXIS_COLOR = "#6b7280"
GRID_COLOR = "#e5e7eb"
TEXT_COLOR = "#111827"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 72, 24, 40, 64


@dataclass(frozen=True)
class Series:
    """One named set of values, one per category (or x position), drawn in one colour."""

    name: str
    values: Sequence[float]
    color: str


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above `value` (1 for nothing to show)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    magnitude: float = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value * (1 - 1e-12):
            return step * magnitude
    return 10 * magnitude


def _frame(chart_id: str, title: str, width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{escape(chart_id)}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" {FONT} '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "middle",
          color: str = TEXT_COLOR, weight: str = "normal", rotate: float = 0) -> str:  # fmt: skip
    transform = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{color}" font-weight="{weight}"{transform}>{escape(text)}</text>'
    )


def _value_axis(
    top: float, bottom: float, left: float, right: float, maximum: float, fmt: ValueFormat,
    label: str,
) -> list[str]:  # fmt: skip
    """Horizontal grid lines with tick values on the left, and the rotated axis label."""
    parts = []
    for tick in range(5):
        value = maximum * tick / 4
        y = bottom - (bottom - top) * tick / 4
        parts.append(
            f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOR}" stroke-width="1"/>'
        )
        parts.append(_text(left - 8, y + 4, fmt(value), size=11, anchor="end", color=AXIS_COLOR))
    middle = (top + bottom) / 2
    parts.append(_text(16, middle, label, size=12, color=AXIS_COLOR, rotate=-90))
    return parts


def _category_axis(left: float, right: float, bottom: float, height: int, label: str) -> list[str]:
    """The baseline under the marks and the axis label below it."""
    return [
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{AXIS_COLOR}"/>',
        _text((left + right) / 2, height - 16, label, color=AXIS_COLOR),
    ]


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts, offset = [], 0.0
    for item in series:
        parts.append(
            f'<rect x="{x + offset:.1f}" y="{y - 10:.1f}" width="12" height="12" rx="2" '
            f'fill="{item.color}"/>'
        )
        parts.append(_text(x + offset + 16, y, item.name, size=11, anchor="start"))
        offset += 28 + 7 * len(item.name)
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    value_format: ValueFormat,
    width: int = 720,
    height: int = 340,
    show_values: bool = True,
) -> str:
    """Vertical bars, one group per category and one bar per series (grouped)."""
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP + (16 if len(series) > 1 else 0), height - MARGIN_BOTTOM
    values = [value for item in series for value in item.values]
    maximum = nice_ceiling(max(values, default=0.0))
    body = _value_axis(top, bottom, left, right, maximum, value_format, y_label)
    if len(series) > 1:
        body += _legend(series, left, MARGIN_TOP - 8)
    slot = (right - left) / max(len(categories), 1)
    bar = slot * 0.8 / max(len(series), 1)
    label_values = show_values and len(categories) * len(series) <= 30
    label_step = max(1, math.ceil(len(categories) / 12))  # at most 12 category labels
    for number, category in enumerate(categories):
        group_left = left + slot * number + slot * 0.1
        for index, item in enumerate(series):
            value = float(item.values[number])
            bar_height = (bottom - top) * max(value, 0.0) / maximum
            x = group_left + bar * index
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{bottom - bar_height:.1f}" '
                f'width="{max(bar - 1, 1):.1f}" height="{bar_height:.1f}" fill="{item.color}">'
                f"<title>{escape(f'{category} · {item.name}: {value_format(value)}')}</title>"
                "</rect>"
            )
            if label_values:
                body.append(
                    _text(x + bar / 2, bottom - bar_height - 4, value_format(value), size=10)
                )
        if number % label_step == 0:
            body.append(_text(left + slot * (number + 0.5), bottom + 16, category, size=11))
    body += _category_axis(left, right, bottom, height, x_label)
    return _frame(chart_id, title, width, height, body)


def horizontal_bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    x_label: str,
    value_format: ValueFormat,
    color: str,
    width: int = 720,
    label_width: int = 260,
) -> str:
    """One horizontal bar per label, top to bottom in the given order, value at the bar's end."""
    row = 26
    top, left, right = 16, label_width, width - 80
    height = top + row * len(labels) + 48
    maximum = nice_ceiling(max(values, default=0.0))
    body = []
    for tick in range(5):
        x = left + (right - left) * tick / 4
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + row * len(labels)}" '
            f'stroke="{GRID_COLOR}"/>'
        )
        body.append(
            _text(x, top + row * len(labels) + 16, value_format(maximum * tick / 4),
                  size=11, color=AXIS_COLOR)
        )  # fmt: skip
    for number, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * number
        length = (right - left) * max(float(value), 0.0) / maximum
        shown = label if len(label) <= 40 else label[:39] + "…"
        body.append(_text(left - 8, y + row / 2 + 4, shown, size=11, anchor="end"))
        body.append(
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{length:.1f}" '
            f'height="{row - 8}" rx="2" fill="{color}"><title>{escape(label)}: '
            f"{escape(value_format(float(value)))}</title></rect>"
        )
        body.append(
            _text(left + length + 6, y + row / 2 + 4, value_format(float(value)), size=11,
                  anchor="start")
        )  # fmt: skip
    body.append(_text((left + right) / 2, height - 8, x_label, color=AXIS_COLOR))
    return _frame(chart_id, title, width, height, body)


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    value_format: ValueFormat,
    width: int = 720,
    height: int = 320,
) -> str:
    """One line (with a dot per point) per series over the x positions."""
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP + 16, height - MARGIN_BOTTOM
    values = [value for item in series for value in item.values]
    maximum = nice_ceiling(max(values, default=0.0))
    body = _value_axis(top, bottom, left, right, maximum, value_format, y_label)
    body += _legend(series, left, MARGIN_TOP - 8)
    count = len(x_labels)

    def x_at(number: int) -> float:
        return (left + right) / 2 if count == 1 else left + (right - left) * number / (count - 1)

    for item in series:
        points = [
            (x_at(number), bottom - (bottom - top) * max(float(value), 0.0) / maximum)
            for number, value in enumerate(item.values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline class="line" points="{path}" fill="none" stroke="{item.color}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )
        for (x, y), label, value in zip(points, x_labels, item.values, strict=True):
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{item.color}"><title>'
                f"{escape(f'{label} · {item.name}: {value_format(float(value))}')}"
                "</title></circle>"
            )
    step = max(1, math.ceil(count / 8))
    for number in range(0, count, step):
        body.append(_text(x_at(number), bottom + 16, x_labels[number], size=11))
    body += _category_axis(left, right, bottom, height, x_label)
    return _frame(chart_id, title, width, height, body)
