"""The closing summary of `leadscore run`: raw rows, the ingestion balance, leads by band."""

from __future__ import annotations

from orchestration.summary import RunSummary


def test_summary_lines_show_the_balance_and_the_bands() -> None:
    summary = RunSummary(
        raw_rows={"raw_web": {"events": 4629, "events_rejected": 68}},
        audit=[("web", 4758, 4629, 61, 48, 20)],
        leads=282,
        touchpoints=6102,
        bands={"hot": 48, "warm": 41, "cold": 193},
        quarantined=59,
    )
    assert summary.lines() == [
        "Rows loaded per source (raw tables; *_rejected = quarantined or filtered rows):",
        "  raw_web      events 4,629, events_rejected 68",
        "Ingestion balance (delivered = loaded + deduplicated + quarantined + filtered):",
        "  web          4,758 = 4,629 + 61 + 48 + 20",
        "Touchpoints: 6,102   Quarantined rows: 59",
        "Leads: 282   Scores by band: hot 48, warm 41, cold 193",
    ]
