"""Pairwise precision and recall of identity resolution against the generator's ground truth.

The universe is every identifier the pipeline can possibly see: a ground-truth identifier
(`identifiers.csv`, test people excluded) that some loaded record carried up to as-of (it is a
node of `intermediate.int_identity__key_guards`), that the guard rails do not block (a
blocked value never joins anyone, by design), and that at least one record ties to something
else: a LinkedIn URN seen only on reactions and comments (no form, no name, no email) is
excluded, since no record says who it is. A pair of such identifiers is a true pair when
the truth gives both to one person, and a predicted pair when the pipeline put both in one
component (`intermediate.int_identity__key_leads.component_id`).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

# Every identifier the pipeline resolved, with its component; blocked ones are left out.
RESOLVED_KEYS_SQL = """
with engagement_only as (
    select key_type, key_value
    from intermediate.int_identity__links
    group by key_type, key_value
    having bool_and(link_kind = 'engagement')
),

visible as (
    select key_leads.key_type, key_leads.key_value, key_leads.component_id
    from intermediate.int_identity__key_leads as key_leads
    union all
    select key_guards.key_type, key_guards.key_value, 'capped:' || key_guards.key_value
    from intermediate.int_identity__key_guards as key_guards
    where key_guards.is_capped
)

select visible.key_type, visible.key_value, visible.component_id
from visible
left join engagement_only
    on visible.key_type = engagement_only.key_type
    and visible.key_value = engagement_only.key_value
where engagement_only.key_type is null
"""


@dataclass(frozen=True)
class PairwiseQuality:
    """Pairwise counts and rates over the visible identifiers."""

    identifiers: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


def truth_identifiers(truth_dir: Path) -> dict[tuple[str, str], str]:
    """(key_type, key_value) -> person_id of every identifier of a real (non-test) person."""
    with (truth_dir / "people.csv").open(newline="", encoding="utf-8") as file:
        test_people = {row["person_id"] for row in csv.DictReader(file) if row["is_test"] == "True"}
    with (truth_dir / "identifiers.csv").open(newline="", encoding="utf-8") as file:
        return {
            (row["key_type"], row["key_value"]): row["person_id"]
            for row in csv.DictReader(file)
            if row["person_id"] not in test_people
        }


def resolved_components(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(key_type, key_value) -> component of every identifier the pipeline followed or capped."""
    return {
        (kind, value): comp
        for kind, value, comp in connection.execute(RESOLVED_KEYS_SQL).fetchall()
    }


def pairwise_quality(
    truth: dict[tuple[str, str], str], resolved: dict[tuple[str, str], str]
) -> PairwiseQuality:
    """Pairwise precision/recall over the identifiers present in both mappings."""
    visible = [key for key in truth if key in resolved]
    by_person: dict[str, int] = {}
    by_component: dict[str, int] = {}
    by_both: dict[tuple[str, str], int] = {}
    for key in visible:
        person, component = truth[key], resolved[key]
        by_person[person] = by_person.get(person, 0) + 1
        by_component[component] = by_component.get(component, 0) + 1
        by_both[(person, component)] = by_both.get((person, component), 0) + 1

    def pairs(counts: Mapping[Any, int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    # a predicted pair of two identifiers outside the truth (a stranger's cookie) is not
    # counted: only visible truth identifiers are in the universe
    return PairwiseQuality(
        identifiers=len(visible),
        true_pairs=pairs(by_person),
        predicted_pairs=pairs(by_component),
        correct_pairs=pairs(by_both),
    )


def measure(truth_dir: Path, warehouse: Path) -> PairwiseQuality:
    """Pairwise quality of the resolution in `warehouse` against the truth in `truth_dir`."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        resolved = resolved_components(connection)
    return pairwise_quality(truth_identifiers(truth_dir), resolved)


# Each person's lead: the lead id most of the person's email identifiers carry.
KEY_LEADS_SQL = """
select key_type, key_value, lead_id, is_emailless_person_key
from intermediate.int_identity__key_leads
"""
# Addresses the pipeline knows only from merged-away Salesforce leads.
MERGED_AWAY_EMAILS_SQL = """
select key_value
from intermediate.int_identity__links
where key_type = 'email'
group by key_value
having bool_and(link_kind = 'merge')
"""
TOUCHPOINT_LEADS_SQL = """
select source, source_record_id, lead_id, identity_key_type, identity_key_value
from marts.touchpoints
"""


@dataclass(frozen=True)
class Reach:
    """How many records (or identifiers) of real people carry their person's lead id."""

    total: int
    reached: int

    @property
    def rate(self) -> float:
        return self.reached / self.total if self.total else 1.0


def person_leads(
    truth: dict[tuple[str, str], str], key_leads: dict[tuple[str, str], str | None]
) -> dict[str, str]:
    """person_id -> the lead id most of the person's email identifiers resolved to."""
    votes: dict[str, dict[str, int]] = {}
    for (key_type, key_value), person in truth.items():
        lead = key_leads.get((key_type, key_value))
        if key_type == "email" and lead is not None:
            votes.setdefault(person, {})[lead] = votes.setdefault(person, {}).get(lead, 0) + 1
    return {person: max(sorted(c), key=c.__getitem__) for person, c in votes.items()}


def measure_reach(truth_dir: Path, warehouse: Path) -> dict[str, Reach]:
    """Touchpoints carrying their person's lead id, and email-less person records (per key
    type) that reached their person, among people the pipeline knows by an email and among
    the touchpoints whose identifier is in the pairwise universe (see the module)."""
    truth = truth_identifiers(truth_dir)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(KEY_LEADS_SQL).fetchall()
        visible = resolved_components(connection)
        merged_away = {value for (value,) in connection.execute(MERGED_AWAY_EMAILS_SQL).fetchall()}
        # a touchpoint whose key no record explains (a reaction by a URN that never filled a
        # form) cannot reach anyone: left out, as in the pairwise universe
        touchpoints = {
            (source, record): lead
            for source, record, lead, *key in connection.execute(TOUCHPOINT_LEADS_SQL).fetchall()
            if tuple(key) in visible
        }
    key_leads = {(kind, value): lead for kind, value, lead, _ in rows}
    leads = person_leads(truth, key_leads)
    reach: dict[str, list[int]] = {}
    for kind, value, lead, emailless in rows:
        person = truth.get((kind, value))
        if not emailless or person not in leads:
            continue
        counts = reach.setdefault(f"emailless {kind}", [0, 0])
        counts[0] += 1
        counts[1] += lead == leads[person]
    for value in merged_away:
        person = truth.get(("email", value))
        if person in leads:
            counts = reach.setdefault("merged-away salesforce email", [0, 0])
            counts[0] += 1
            counts[1] += key_leads.get(("email", value)) == leads[person]
    with (truth_dir / "touchpoints.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            key = (row["source"], row["source_record_id"])
            if row["person_id"] not in leads or key not in touchpoints:
                continue
            counts = reach.setdefault("touchpoints", [0, 0])
            counts[0] += 1
            counts[1] += touchpoints[key] == leads[row["person_id"]]
    emailless = [counts for name, counts in reach.items() if name.startswith("emailless")]
    reach["emailless (all)"] = [sum(c[0] for c in emailless), sum(c[1] for c in emailless)]
    return {name: Reach(total, reached) for name, (total, reached) in sorted(reach.items())}
