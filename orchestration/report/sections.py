"""What the report shows: the queries it reads and one builder per section.

To add a section (e.g. a bias audit): add its query to REPORT_QUERIES and a function
`ReportData -> ReportSection` to SECTION_BUILDERS; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from orchestration.report import formats
from orchestration.report.page import KeyFigure, ReportSection, html_table, render_page
from orchestration.report.svg_charts import Series, bar_chart, horizontal_bar_chart, line_chart

# Fixed queries over the marts (no values interpolated): name -> SQL.
REPORT_QUERIES: dict[str, str] = {
    "segments": "select * from marts.score_band_performance "
    "order by segment_type, segment_order, segment",
    "distribution": "select * from marts.score_distribution_daily "
    "where date = (select max(date) from marts.score_distribution_daily) order by score_bucket",
    "band_trend": "select * from marts.score_band_trend order by date, band",
    "channels": "select * from marts.channel_attribution order by channel, model",
    "rules": "select * from marts.rule_lift where leads_hit >= 3 "
    "order by lift desc nulls last, leads_hit desc, rule_id",
    "content": "select * from marts.content_performance where leads_hit >= 3 "
    "order by converted desc, lift desc nulls last, content_type, content",
    "attribution_runs": "select * from attribution.attribution_runs",
}

MODELS = (
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "time_decay",
    "markov",
    "shapley",
)
MODEL_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#e15759", "#76b7b2")
BAND_COLORS = {"hot": "#dc2626", "warm": "#f59e0b", "cold": "#3b82f6"}
PRIMARY = "#2563eb"


@dataclass(frozen=True)
class ReportData:
    """The query results the sections read, and the as-of day of the run."""

    as_of: str
    tables: Mapping[str, pd.DataFrame]

    def segment(self, segment_type: str) -> pd.DataFrame:
        segments = self.tables["segments"]
        return segments.loc[segments["segment_type"] == segment_type].reset_index(drop=True)


def key_figures(data: ReportData) -> list[KeyFigure]:
    overall = data.segment("all")
    bands = data.segment("band").set_index("segment")
    runs = data.tables["attribution_runs"]
    leads = int(overall["leads"].sum())
    converted = int(overall["converted"].sum())
    figures = [
        KeyFigure("leads scored", formats.count(leads)),
        KeyFigure(
            "converted",
            formats.count(converted),
            f"{formats.percent(converted / leads)} of leads" if leads else "",
        ),
        KeyFigure("won revenue", formats.money(float(overall["revenue"].sum()))),
        KeyFigure(
            "hot leads",
            formats.count(int(bands["leads"].get("hot", 0))),
            f"convert at {formats.percent(float(bands['conversion_rate'].get('hot', 0.0)))}",
        ),
    ]
    if not runs.empty:
        run = runs.iloc[0]
        figures.append(
            KeyFigure(
                "journeys attributed",
                formats.count(int(run["journeys"])),
                f"Markov + Shapley in {float(run['seconds']):.2f} s",
            )
        )
    return figures


def conversion_section(data: ReportData) -> ReportSection:
    bands = data.segment("band")
    deciles = data.segment("score_decile")
    table = bands.loc[:, ["segment", "leads", "converted", "conversion_rate", "won",
                          "median_days_to_convert", "revenue"]]  # fmt: skip
    table.columns = ["band", "leads", "converted", "conversion rate", "won",
                     "median days to convert", "revenue"]  # fmt: skip
    return ReportSection(
        "conversion",
        "Do higher scores convert more?",
        "Share of leads that converted, by band and by score decile (decile 1 = the top 10% "
        "of scores). A good score puts the converters at the top.",
        [
            bar_chart(
                "conversion_by_band",
                "Conversion rate by band",
                list(bands["segment"]),
                [Series("conversion rate", list(bands["conversion_rate"]), PRIMARY)],
                x_label="band",
                y_label="conversion rate",
                value_format=formats.percent,
            ),
            bar_chart(
                "conversion_by_decile",
                "Conversion rate by score decile",
                [f"D{segment}" for segment in deciles["segment"]],
                [Series("conversion rate", list(deciles["conversion_rate"]), PRIMARY)],
                x_label="score decile (D1 = highest scores)",
                y_label="conversion rate",
                value_format=formats.percent,
            ),
            html_table(
                table,
                {
                    "leads": formats.count,
                    "converted": formats.count,
                    "conversion rate": formats.percent,
                    "won": formats.count,
                    "median days to convert": formats.days,
                    "revenue": formats.money,
                },
            ),
        ],
    )


def distribution_section(data: ReportData) -> ReportSection:
    distribution = data.tables["distribution"]
    trend = data.tables["band_trend"]
    trend = trend.assign(date=trend["date"].astype(str).str[:10])
    dates = sorted(trend["date"].unique())
    counts = trend.pivot_table(
        index="date", columns="band", values="leads", aggfunc="sum", fill_value=0
    )
    series = [
        Series(band, [float(counts[band].get(day, 0)) for day in dates], color)
        for band, color in BAND_COLORS.items()
        if band in counts.columns
    ]
    day = str(distribution["date"].iloc[0])[:10] if not distribution.empty else data.as_of
    return ReportSection(
        "distribution",
        "How scores are spread, and how the bands move",
        f"Leads per 10-point score range on {day}, and leads per band on every scored day "
        "(from lead_score_history).",
        [
            bar_chart(
                "score_distribution",
                f"Score distribution on {day}",
                [str(int(start)) for start in distribution["score_bucket"]],
                [Series("leads", list(distribution["leads"]), PRIMARY)],
                x_label="total score (bucket start; 10 points wide)",
                y_label="leads",
                value_format=formats.count,
            ),
            line_chart(
                "band_trend",
                "Leads per band over time",
                dates,
                series,
                x_label="scored day",
                y_label="leads",
                value_format=formats.count,
            ),
        ],
    )


def attribution_section(data: ReportData) -> ReportSection:
    channels = data.tables["channels"]
    conversions = channels.pivot_table(
        index="channel", columns="model", values="conversions", aggfunc="sum", fill_value=0.0
    )
    names = list(conversions.index)
    present = [model for model in MODELS if model in conversions.columns]
    series = [
        Series(model, list(conversions[model]), MODEL_COLORS[MODELS.index(model)])
        for model in present
    ]
    table = conversions.loc[:, present].reset_index()
    effects = channels.loc[channels["model"] == "markov"].set_index("channel")["removal_effect"]
    table["markov removal effect"] = table["channel"].map(effects)
    return ReportSection(
        "attribution",
        "Which channels earn the conversions",
        "Conversions credited to each channel by all seven attribution models, side by side "
        "(a conversion's credit sums to 1 in every model). Journeys: the 90 days before "
        "conversion, sales touches excluded.",
        [
            bar_chart(
                "attribution_by_channel",
                "Attributed conversions by channel and model",
                names,
                series,
                x_label="channel",
                y_label="attributed conversions",
                value_format=formats.decimal,
                width=1080,
                height=380,
                show_values=False,
            ),
            html_table(
                table,
                {
                    **{model: formats.decimal for model in present},
                    "markov removal effect": formats.percent,
                },
            ),
        ],
        wide=True,
    )


def lift_table(frame: pd.DataFrame, names: dict[str, str]) -> str:
    """A conversion_lift mart's rows: the `names` columns (renamed), then the lift figures."""
    table = frame.loc[:, [*names, "leads_hit", "converted", "conversion_rate", "lift"]]
    table.columns = [*names.values(), "leads hit", "converted", "conversion rate", "lift"]
    return html_table(
        table,
        {
            "leads hit": formats.count,
            "converted": formats.count,
            "conversion rate": formats.percent,
            "lift": formats.multiple,
        },
    )


def rules_section(data: ReportData) -> ReportSection:
    rules = data.tables["rules"].head(10)
    return ReportSection(
        "rules",
        "Which rules point at buyers",
        "Rules ranked by lift: the conversion rate of the leads a rule hit before they "
        "converted, over the base rate of all leads (rules that hit at least 3 leads).",
        [
            horizontal_bar_chart(
                "rule_lift",
                "Top rules by lift",
                list(rules["rule_id"]),
                [0.0 if pd.isna(value) else float(value) for value in rules["lift"]],
                x_label="lift over the base conversion rate",
                value_format=formats.multiple,
                color="#7c3aed",
                width=1080,
                label_width=300,
            ),
            lift_table(rules, {"rule_id": "rule", "rule_description": "what it rewards"}),
        ],
        wide=True,
    )


def content_section(data: ReportData) -> ReportSection:
    content = data.tables["content"].head(12)
    return ReportSection(
        "content",
        "Content seen before conversions",
        "Pages, email campaigns and assets the converters saw before converting (content "
        "seen by at least 3 leads), most converters first; leads hit = leads who saw it.",
        [lift_table(content, {"content_type": "type", "content": "content"})],
    )


SECTION_BUILDERS: tuple[Callable[[ReportData], ReportSection], ...] = (
    conversion_section,
    distribution_section,
    attribution_section,
    rules_section,
    content_section,
)


def build_report(data: ReportData) -> str:
    """The report's HTML: key figures, then every section of SECTION_BUILDERS in order."""
    return render_page(
        "Lead scoring report",
        f"As of {data.as_of} (end of day, UTC)",
        key_figures(data),
        [builder(data) for builder in SECTION_BUILDERS],
    )
