"""The report page: a header with key figures, then one section per topic. Self-contained
(styles inline, charts as inline SVG), so it opens from disk with no network."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class ReportSection:
    """One topic of the report: a title, a sentence saying how to read it, charts and tables
    (HTML fragments: SVG from svg_charts, tables from html_table)."""

    section_id: str
    title: str
    intro: str
    fragments: Sequence[str]
    wide: bool = False  # one fragment per row (wide charts, wide tables) instead of two


STYLE = """
body { margin: 0; background: #f3f4f6; color: #111827;
       font-family: Inter, 'Segoe UI', Helvetica, Arial, sans-serif; }
header { background: #111827; color: #f9fafb; padding: 28px 40px; }
header h1 { margin: 0 0 6px; font-size: 26px; }
header p { margin: 0; color: #d1d5db; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 40px 48px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr));
           gap: 12px; margin: 0 0 24px; }
.figure { background: #fff; border-radius: 10px; padding: 14px 16px;
          box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.figure .value { font-size: 26px; font-weight: 700; }
.figure .label { color: #4b5563; font-size: 13px; }
.figure .note { color: #6b7280; font-size: 12px; margin-top: 4px; }
section { background: #fff; border-radius: 10px; padding: 20px 24px; margin: 0 0 20px;
          box-shadow: 0 1px 2px rgba(0,0,0,.06); }
section h2 { margin: 0 0 4px; font-size: 19px; }
section p.intro { margin: 0 0 12px; color: #4b5563; font-size: 14px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr));
          gap: 16px; align-items: start; }
.charts.wide { grid-template-columns: 1fr; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
th, td { padding: 6px 10px; border-bottom: 1px solid #e5e7eb; text-align: right; }
th { background: #f9fafb; color: #374151; font-weight: 600; }
th.text, td.text { text-align: left; }
footer { color: #6b7280; font-size: 12px; text-align: center; padding: 12px; }
"""

# Marks every chart with the size the browser laid it out at: the headless-browser test
# reads it back to prove each chart was rendered (the charts themselves need no script).
RENDER_PROBE = """
document.querySelectorAll('svg.chart').forEach(function (chart) {
  var box = chart.getBoundingClientRect();
  chart.setAttribute('data-rendered-width', Math.round(box.width));
  chart.setAttribute('data-rendered-height', Math.round(box.height));
  chart.setAttribute('data-marks', chart.querySelectorAll('rect.bar, polyline.line').length);
});
"""


def html_table(frame: pd.DataFrame, formats: dict[str, Callable[[Any], str]] | None = None) -> str:
    """A table of a frame's rows; `formats` maps a column to a function of its value."""
    formats = formats or {}
    # text columns read left-aligned, numbers right-aligned
    align = {
        column: "" if pd.api.types.is_numeric_dtype(frame[column]) else ' class="text"'
        for column in frame.columns
    }
    head = "".join(f"<th{align[column]}>{escape(str(column))}</th>" for column in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            formatter = formats.get(column)
            shown = "–" if pd.isna(value) else (formatter(value) if formatter else str(value))
            cells.append(f"<td{align[column]}>{escape(shown)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_page(
    title: str, subtitle: str, figures: Sequence[KeyFigure], sections: Sequence[ReportSection]
) -> str:
    """The whole HTML document."""
    figure_html = "".join(
        f'<div class="figure"><div class="value">{escape(figure.value)}</div>'
        f'<div class="label">{escape(figure.label)}</div>'
        + (f'<div class="note">{escape(figure.note)}</div>' if figure.note else "")
        + "</div>"
        for figure in figures
    )
    section_html = "".join(
        f'<section id="{escape(section.section_id)}"><h2>{escape(section.title)}</h2>'
        f'<p class="intro">{escape(section.intro)}</p>'
        f'<div class="charts{" wide" if section.wide else ""}">'
        f"{''.join(section.fragments)}</div></section>"
        for section in sections
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>"
        f'<main><div class="figures">{figure_html}</div>{section_html}</main>'
        "<footer>Generated by leadscore. Self-contained: no network needed.</footer>"
        f"<script>{RENDER_PROBE}</script></body></html>"
    )
