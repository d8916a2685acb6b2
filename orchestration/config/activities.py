"""The activity vocabulary: the one list of what a touchpoint (or the session rule) can be.

Its source is the dbt seed `dbt_project/seeds/activities.csv` (one row per activity and the
source that emits it). dbt tests every touchpoint's activity against the seed
(`relationships`), the rules validator reads the same file here (no dbt needed), and the
README's table is rendered from it (`tools/activities_table.py`).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT

ACTIVITIES_SEED_PATH = DBT_PROJECT_DIR / "seeds" / "activities.csv"
# the files that quote the table, between `<!-- activities:start ... -->` and `... end -->`
QUOTED_IN = (REPO_ROOT / "README.md", DBT_PROJECT_DIR / "models" / "docs.md")
_MARKED_TABLE = re.compile(
    r"(<!-- activities:start[^\n]*-->\n)(.*?)(<!-- activities:end -->)", re.S
)


@dataclass(frozen=True)
class Activity:
    """One row of the seed: an activity, a source that emits it, and what it means."""

    activity: str
    source: str
    description: str


@functools.cache
def load_activities(path: Path = ACTIVITIES_SEED_PATH) -> tuple[Activity, ...]:
    """Every row of the activities seed, in the file's order."""
    with path.open(newline="", encoding="utf-8") as seed:
        return tuple(
            Activity(row["activity"], row["source"], row["description"])
            for row in csv.DictReader(seed)
        )


def known_activities() -> frozenset[str]:
    """The activity names a rule may use."""
    return frozenset(row.activity for row in load_activities())


def activities_markdown() -> str:
    """The vocabulary as the Markdown table the README quotes."""
    lines = ["| activity | source | what it means |", "|---|---|---|"]
    lines += [f"| `{a.activity}` | {a.source} | {a.description} |" for a in load_activities()]
    return "\n".join(lines) + "\n"


def quoted_table(text: str) -> str:
    """The table a file's text quotes between the markers."""
    match = _MARKED_TABLE.search(text)
    if match is None:
        raise ValueError("no <!-- activities:start --> ... <!-- activities:end --> markers")
    return match.group(2)


def with_current_table(text: str) -> str:
    """The text with the seed's table between its markers."""
    quoted_table(text)  # the markers must be there
    return _MARKED_TABLE.sub(lambda m: m.group(1) + activities_markdown() + m.group(3), text)
