"""Fuzzy matching (Splink) alone on a built warehouse: seconds, peak RSS and pair counts per phase.

    .venv/bin/python benchmarks/fuzzy_matching_scale.py --warehouse /tmp/me/warehouse.duckdb

Opens the warehouse read-only (pass a copy: DuckDB keeps one writer per file), reads the
records the `identity/fuzzy_matches` asset reads (`MATCH_RECORDS_SQL`), then runs the same
`match_unanchored` the asset runs. Its phases (match frame, prior, u sampling, each EM
session, predict, oriented pairs) end with a log record (`_phase_done`); this process's RSS is
sampled every 0.1 s, so each phase gets its seconds and the highest RSS inside it. Then it
prints the record counts (named, with and without a usable email) and the pairs each blocking
rule makes, counted exactly in SQL from its blocks' sizes, and what Splink logged about
sampling EM's pairs (`EM_MAX_PAIRS`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.measure import MIB, TreeRssSampler, peak_in  # noqa: E402
from orchestration.config.identity import load_identity_config  # noqa: E402
from orchestration.identity_matching import (  # noqa: E402
    MATCH_RECORDS_SQL,
    FuzzyMatch,
    match_frame,
    match_unanchored,
)
from orchestration.settings import DEFAULT_IDENTITY_RULES_PATH  # noqa: E402

# Pairs a blocking rule makes: within each block of n records, n (n - 1) / 2; a prediction
# rule keeps only pairs with an unanchored side: u (u - 1) / 2 + u a (u unanchored, a not).
BLOCK_PAIRS_SQL = """
select
    sum(n * (n - 1) // 2) as pairs,
    sum(u * (u - 1) // 2 + u * (n - u)) as pairs_with_unanchored,
    max(n) as largest_block,
    count(*) as blocks
from (
    select count(*) as n, count(*) filter (where unanchored) as u
    from frame
    where {not_null}
    group by {columns}
)
"""
RULES = {
    "last_name": ("last_name",),
    "first_name + company_norm": ("first_name", "company_norm"),
    "first_name + last_name + company_norm (prior)": ("first_name", "last_name", "company_norm"),
}


class PhaseMarks(logging.Handler):
    """Collects (time, phase) from the matching module's `_phase_done` records, and what
    Splink says about sampling EM's pairs."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.marks: list[tuple[float, str]] = []
        self.em_sampling: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        phase = getattr(record, "matching_phase", None)
        if phase is not None:
            self.marks.append((record.created, phase))
        elif record.getMessage().startswith("[EM sampling]"):
            self.em_sampling.append(record.getMessage())


def block_pairs(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per blocking rule: its pairs, those with an unanchored side, its largest block."""
    connection = duckdb.connect()
    connection.register("frame", frame)
    counts = {}
    for name, columns in RULES.items():
        not_null = " and ".join(f"{column} is not null" for column in columns)
        sql = BLOCK_PAIRS_SQL.format(not_null=not_null, columns=", ".join(columns))
        pairs, with_unanchored, largest, blocks = connection.execute(sql).fetchone() or (0,) * 4
        counts[name] = {
            "pairs": int(pairs or 0),
            "pairs_with_unanchored": int(with_unanchored or 0),
            "largest_block": int(largest or 0),
            "blocks": int(blocks or 0),
        }
    connection.close()
    return counts


def match_quality(
    frame: pd.DataFrame, matches: list[FuzzyMatch], truth: Path
) -> dict[str, int | float]:
    """Pairwise precision (a pair's record and address are one generated person) and recall
    (of the unanchored records whose person carries a usable address on some record, those
    paired with one of that person's addresses), from the generator's `identifiers.csv`."""
    person_of = {
        (row["key_type"], row["key_value"]): row["person_id"]
        for row in pd.read_csv(truth / "identifiers.csv", dtype=str).to_dict("records")
    }
    addresses = frame.loc[frame["has_usable_email"], "email"]
    people_with_address = {person_of.get(("email", email)) for email in addresses} - {None}
    findable = {
        (key_type, key_value)
        for key_type, key_value in frame.loc[
            frame["unanchored"], ["key_type", "key_value"]
        ].itertuples(index=False)
        if person_of.get((key_type, key_value)) in people_with_address
    }
    right = [
        match
        for match in matches
        if person_of.get((match.left_key_type, match.left_key_value), "left")
        == person_of.get(("email", match.right_key_value), "right")
    ]
    found = {(match.left_key_type, match.left_key_value) for match in right} & findable
    return {
        "pairs": len(matches),
        "correct_pairs": len(right),
        "precision": len(right) / len(matches) if matches else 1.0,
        "findable_records": len(findable),
        "found_records": len(found),
        "recall": len(found) / len(findable) if findable else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a copy of a warehouse")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--truth", type=Path, help="the landing zone's `_truth` folder: precision and recall"
    )
    args = parser.parse_args()
    config = load_identity_config(DEFAULT_IDENTITY_RULES_PATH)
    marks = PhaseMarks()
    for name in ("orchestration.identity_matching", "splink"):
        logging.getLogger(name).addHandler(marks)
        logging.getLogger(name).setLevel(logging.INFO)

    with TreeRssSampler(os.getpid(), interval=0.1) as sampler:
        started = time.time()
        with duckdb.connect(str(args.warehouse), read_only=True) as warehouse:
            records = warehouse.sql(MATCH_RECORDS_SQL).to_arrow_table()
        marks.marks.append((time.time(), "records read"))
        result = match_unanchored(records, config)
        finished = time.time()
    frame = match_frame(records, config)
    figures: dict[str, Any] = {
        "records": records.num_rows,
        "named_records": len(frame),
        "unanchored": int(frame["unanchored"].sum()),
        "usable_email": int(frame["has_usable_email"].sum()),
        "blocked_pairs": block_pairs(frame),
        "em_sampling": marks.em_sampling,
        "matches": len(result.matches),
        "trained": result.trained,
        "phases": [],
    }
    previous = started
    for at, phase in marks.marks:
        peak = peak_in(sampler.samples, [(previous, at)])
        figures["phases"].append(
            {"phase": phase, "seconds": round(at - previous, 1), "peak_mib": peak // MIB}
        )
        previous = at
    if args.truth:
        figures["quality"] = match_quality(frame, result.matches, args.truth)
    figures["total_seconds"] = round(finished - started, 1)
    figures["peak_mib"] = max(rss for _, rss in sampler.samples) // MIB

    print(f"records read: {figures['records']:,}; named: {figures['named_records']:,} "
          f"({figures['usable_email']:,} with a usable email, {figures['unanchored']:,} "
          f"unanchored)")  # fmt: skip
    print("blocked pairs over every named record:")
    for rule, count in figures["blocked_pairs"].items():
        print(
            f"  {rule:48} {count['pairs']:>14,} pairs, "
            f"{count['pairs_with_unanchored']:>12,} with an unanchored side, "
            f"largest block {count['largest_block']:,}"
        )
    for line in figures["em_sampling"]:
        print(f"  {line}")
    print(f"{'phase':28} {'seconds':>8} {'peak MiB':>9}")
    for row in figures["phases"]:
        print(f"{row['phase']:28} {row['seconds']:>8.1f} {row['peak_mib']:>9,}")
    print(f"{'total':28} {figures['total_seconds']:>8.1f} {figures['peak_mib']:>9,}")
    print(f"pairs kept: {figures['matches']:,}; model trained: {figures['trained']}")
    if "quality" in figures:
        print("against the generator's truth: " + ", ".join(
            f"{name} {value:,}" if isinstance(value, int) else f"{name} {value:.4f}"
            for name, value in figures["quality"].items()
        ))  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
