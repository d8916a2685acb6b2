"""The stage table from a recorded set of run events, and the sampled peaks per stage."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.measure import DltPhase, StepRecord, peak_in, stage_table, tree_rss_bytes

# A run recorded by hand: times in seconds from 0, steps one after another.
STEPS = [
    StepRecord("ingest_web", 0.0, 10.0, materializations=3),
    StepRecord("config__scoring_rules", 10.0, 10.5, materializations=1),
    StepRecord("dbt_before_fuzzy_matching", 10.5, 20.5, 4, 6, model_seconds=2.0, test_seconds=1.5),
    StepRecord("identity__fuzzy_matches", 20.5, 24.0, materializations=1),
    StepRecord("raw_web__events_gx_raw_web__events", 24.0, 25.0, check_evaluations=1),
    StepRecord("dbt_models", 25.0, 40.0, 50, 90, model_seconds=6.0, test_seconds=3.0),
    StepRecord("exports__bi_parquet", 40.0, 41.0, materializations=1),
]
PHASES = [
    DltPhase("web", "extract", 1.0, 5.0),
    DltPhase("web", "normalize", 5.0, 6.5),
    DltPhase("web", "load", 6.5, 9.0),
]


def test_stages_split_dlt_and_dbt_steps_by_their_own_timings() -> None:
    rows = {row.stage: row for row in stage_table(STEPS, PHASES)}
    seconds = {stage: round(row.seconds, 6) for stage, row in rows.items()}
    assert seconds == {
        "extract": 4.0,
        "normalize": 1.5,
        "load": 2.5,
        "ingestion other": 2.0,  # 10 s of step minus 8 s of dlt phases
        "identity (Splink)": 3.5,
        "dbt start-up": 6.5 + 6.0,  # (10 - 2 - 1.5) + (15 - 6 - 3)
        "dbt models": 8.0,
        "dbt tests": 4.5,
        "checks (GX, Python)": 1.0,
        "exports": 1.0,
        "other": 0.5,  # the config step
    }
    assert sum(seconds.values()) == 41.0  # every second of the steps, once
    assert rows["dbt models"].windows == [(10.5, 20.5), (25.0, 40.0)]
    assert rows["dbt models"].steps == 2


def test_peak_is_the_highest_sample_inside_a_stages_windows() -> None:
    samples = [(0.5, 100), (2.0, 300), (7.0, 900), (12.0, 400), (30.0, 700)]
    rows = {row.stage: row for row in stage_table(STEPS, PHASES)}
    assert peak_in(samples, rows["extract"].windows) == 300
    assert peak_in(samples, rows["load"].windows) == 900
    assert peak_in(samples, rows["dbt models"].windows) == 700
    assert peak_in(samples, rows["exports"].windows) == 0  # no sample inside


def test_tree_rss_counts_this_process() -> None:
    with Path(f"/proc/{os.getpid()}/status").open() as status:
        vm_rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    measured = tree_rss_bytes(os.getpid())
    assert measured >= vm_rss_kib * 1024 * 0.5
    assert tree_rss_bytes(2**22 + 1) == 0  # no such process
