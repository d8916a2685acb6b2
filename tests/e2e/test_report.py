"""The HTML report of the end-to-end run, opened in a real headless Chromium."""

from __future__ import annotations

import re

from browser import rendered_dom
from pipeline_run import PipelineRun

from orchestration.assets.report import REPORT_KEY
from orchestration.resources import REPORT_FILE_NAME

CHARTS = (
    "conversion_by_band",
    "conversion_by_decile",
    "score_distribution",
    "band_trend",
    "attribution_by_channel",
    "rule_lift",
)
CHART_TAG = re.compile(r"<svg [^>]*data-chart=\"([a-z_]+)\"[^>]*>")


def test_report_is_written_with_its_key_figures_as_metadata(pipeline_run: PipelineRun) -> None:
    report = pipeline_run.settings.report_dir / REPORT_FILE_NAME
    html = report.read_text(encoding="utf-8")
    assert not list(report.parent.glob(".*.partial"))
    # self-contained: nothing fetched from anywhere
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=", html)
    materialization = pipeline_run.result.asset_materializations_for_node("reports__report_html")[0]
    assert materialization.asset_key == REPORT_KEY
    leads = pipeline_run.query("select count(*) from marts.lead_scores")[0][0]
    assert materialization.metadata["leads"].value == leads
    assert "| hot" in materialization.metadata["conversion_by_band"].value
    assert f"{leads:,}" in html


def test_every_chart_renders_in_a_browser(pipeline_run: PipelineRun) -> None:
    dom = rendered_dom(pipeline_run.settings.report_dir / REPORT_FILE_NAME)
    tags = {match.group(1): match.group(0) for match in CHART_TAG.finditer(dom)}
    assert sorted(tags) == sorted(CHARTS)
    for chart, tag in tags.items():
        # written by the page's probe script from the browser's own layout
        width = int(re.search(r'data-rendered-width="(\d+)"', tag).group(1))
        height = int(re.search(r'data-rendered-height="(\d+)"', tag).group(1))
        marks = int(re.search(r'data-marks="(\d+)"', tag).group(1))
        assert width > 300, chart
        assert height > 100, chart
        assert marks > 0, chart
    channels = pipeline_run.query("select count(distinct channel) from marts.channel_attribution")
    attribution_bars = int(
        re.search(r'data-marks="(\d+)"', tags["attribution_by_channel"]).group(1)
    )
    assert attribution_bars == 7 * channels[0][0]  # every model side by side, per channel
