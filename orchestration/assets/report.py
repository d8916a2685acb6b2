"""The HTML report asset: score analytics and attribution as one self-contained page in
LEADSCORE_REPORT_DIR, with its key figures as materialization metadata."""

from collections.abc import Sequence
from typing import Any

import dagster as dg

from orchestration.report.sections import REPORT_QUERIES, ReportData, build_report
from orchestration.resources import ReportDirResource, ScoringResource, WarehouseResource

REPORT_KEY = dg.AssetKey(["reports", "report_html"])


def build_report_asset(deps: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """The report asset, after every mart it reads (`deps`)."""

    @dg.asset(
        key=REPORT_KEY,
        deps=list(deps),
        group_name="reports",
        description="`report.html` in LEADSCORE_REPORT_DIR: score distribution, conversion by "
        "band and decile, the band trend, attribution by channel for all seven models, the top "
        "rules by lift and content seen before conversions. Inline SVG, no network needed; "
        "written to a temporary name and renamed into place.",
        owners=["team:data-engineering"],
        kinds={"html"},
        pool="duckdb",
    )
    def report_html(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        reports: ReportDirResource,
        scoring: ScoringResource,
    ) -> dg.MaterializeResult[Any]:
        with warehouse.connect(read_only=True) as connection:
            tables = {name: connection.execute(sql).df() for name, sql in REPORT_QUERIES.items()}
        data = ReportData(as_of=scoring.as_of_date().isoformat(), tables=tables)
        path = reports.publish_html(build_report(data))
        context.log.info(f"Wrote the report to {path}")
        return dg.MaterializeResult(metadata=report_metadata(data, str(path)))

    return report_html


def report_metadata(data: ReportData, path: str) -> dict[str, dg.MetadataValue | int | float]:
    """Key figures for the Dagster UI: numbers and markdown tables."""
    overall = data.segment("all")
    bands = data.segment("band").loc[:, ["segment", "leads", "converted", "conversion_rate"]]
    channels = data.tables["channels"].pivot_table(
        index="channel", columns="model", values="conversions", aggfunc="sum", fill_value=0.0
    )
    rules = data.tables["rules"].head(5).loc[:, ["rule_id", "leads_hit", "converted", "lift"]]
    return {
        "path": dg.MetadataValue.path(path),
        "leads": int(overall["leads"].sum()),
        "converted": int(overall["converted"].sum()),
        "won_revenue": float(overall["revenue"].sum()),
        "conversion_by_band": dg.MetadataValue.md(bands.to_markdown(index=False, floatfmt=".3f")),
        "attributed_conversions_by_channel": dg.MetadataValue.md(
            channels.to_markdown(floatfmt=".2f")
        ),
        "top_rules_by_lift": dg.MetadataValue.md(rules.to_markdown(index=False, floatfmt=".2f")),
    }
