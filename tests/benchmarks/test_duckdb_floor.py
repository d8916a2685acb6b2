"""The floor query on a hand-made landing zone of three files, scores computed by hand."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from benchmarks.duckdb_floor import point_table, run_floor

RULES = Path(__file__).resolve().parents[2] / "rules" / "default.yml"


def _write_landing(root: Path) -> None:
    web = root / "web" / "2026-06-01"
    web.mkdir(parents=True)
    events = [
        # anon a1: pricing page (10), careers page by URL path only (-5), demo request (20)
        {"type": "page", "anonymousId": "a1", "properties": {"path": "/pricing/teams"}},
        {"type": "page", "anonymousId": "a1", "context": {"page": {"path": "/careers"}}},
        {"type": "track", "anonymousId": "a1", "event": "Demo Requested"},
        # user u2: home page (exact "/", no rule: 0), an identify (no activity: not counted)
        {"type": "page", "userId": "u2", "anonymousId": "a2", "properties": {"path": "/"}},
        {"type": "identify", "userId": "u2", "traits": {"email": "x@y.com"}},
    ]
    with gzip.open(web / "part-0001.jsonl.gz", "wt") as file:
        file.write("\n".join(json.dumps(event) for event in events) + "\n")
    (root / "email").mkdir()
    (root / "email" / "batch-1.json").write_text(json.dumps([
        {"email": "X@y.com", "event": "open"},  # 1
        {"email": "x@y.com", "event": "click"},  # 3 (the unconditional click rule)
        {"email": "x@y.com", "event": "processed"},  # no activity
    ]))  # fmt: skip
    booth = root / "booth" / "expo-2026"
    booth.mkdir(parents=True)
    with (booth / "lead-export-0001.csv").open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["First Name", "Email Address", "Rating"])
        writer.writerow(["X", "x@y.com", "Hot"])  # 10 (booth_scan; the rating bonus is ignored)


def test_point_table_takes_each_activitys_unconditional_rule() -> None:
    rules = {
        "engagement": [
            {"id": "a", "activity": "email_click", "url": "/pricing", "points": 5, "priority": 1},
            {"id": "b", "activity": "email_click", "points": 3, "priority": 2},
            {"id": "c", "activity": "chat_started", "points": 8},
            {"id": "d", "activity": "chat_started", "after": {"activity": "x"}, "points": 5},
            {"id": "e", "channel": ["direct_mail"], "points": 6},
        ]
    }
    assert point_table(rules) == {"email_click": 3, "chat_started": 8}


def test_floor_scores_the_hand_made_landing_zone(tmp_path: Path) -> None:
    _write_landing(tmp_path)
    result = run_floor(tmp_path, RULES)
    # a1: 10 - 5 + 20 = 25; u2: 0 (home view); x@y.com: 1 + 3 + 10 = 14
    assert (result.people, result.records, result.total_points) == (3, 7, 39)
    assert result.seconds > 0


@pytest.mark.parametrize("missing", ["web", "email", "booth"])
def test_floor_reads_only_the_channels_present(tmp_path: Path, missing: str) -> None:
    _write_landing(tmp_path)
    for path in sorted((tmp_path / missing).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    expected = {"web": (1, 3, 14), "email": (3, 5, 35), "booth": (3, 6, 29)}[missing]
    result = run_floor(tmp_path, RULES)
    assert (result.people, result.records, result.total_points) == expected
