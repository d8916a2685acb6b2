"""The floor: DuckDB alone reads the raw landing files natively and scores them in one query.

    .venv/bin/python benchmarks/duckdb_floor.py --landing /tmp/bench/landing

What the pipeline does at its cheapest, with nothing of its guarantees: every landing file is
read by DuckDB's own readers (`read_json`, `read_csv`), each record becomes an activity with
the same vocabulary the dbt project uses (its seeds: page paths, track events, email events,
CRM task types), each activity gets the default rules' points (`point_table`), and one query
sums them per person key. No quarantine, no audit, no identity resolution (the key is the
record's own email, else its channel's id), no caps, decay or context rules. Prints the
seconds, the records read and the people scored; `--json` for the harness
(`benchmarks/pipeline_growth.py`).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULES = ROOT / "rules" / "default.yml"
SEEDS_DIR = ROOT / "dbt_project" / "seeds"
# Keys a rule may have without narrowing which touchpoints of its activity it matches.
UNCONDITIONAL_KEYS = {"id", "group", "activity", "points", "description", "exclusive_group",
                      "priority", "cap"}  # fmt: skip

# One native read per channel: (glob under the landing zone, the SELECT of its activities).
# `{files}` is the channel's file list; every select yields (person_key, activity).
CHANNEL_READS: dict[str, tuple[str, str]] = {
    "web": (
        "web/**/*.jsonl*",
        """
        select coalesce(userId, anonymousId) as person_key,
            case when type = 'track' then track.activity
                 when type = 'page' then coalesce(exact_path.activity, prefix_path.activity,
                                                  'page_view') end as activity
        from (
            select *, coalesce(nullif(properties.path, ''), nullif(context.page.path, ''), '/')
                as path
            from read_json({files}, format = 'newline_delimited', columns = {{
                type: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR',
                properties: 'STRUCT(path VARCHAR)', context: 'STRUCT(page STRUCT(path VARCHAR))'
            }})
        ) as events
        left join web_track as track on events.event = track.event_name
        left join web_paths as exact_path
            on exact_path.match_type = 'exact' and events.path = exact_path.path_prefix
        left join (
            select path_prefix, activity from web_paths where match_type = 'prefix'
        ) as prefix_path on starts_with(events.path, prefix_path.path_prefix)
        """,
    ),
    "email": (
        "email/*.json",
        """
        select lower(email) as person_key, email_events.activity
        from read_json({files}, format = 'array',
                       columns = {{email: 'VARCHAR', event: 'VARCHAR'}}) as events
        inner join email_events on events.event = email_events.event_type
        """,
    ),
    "support": (
        "support/*.json",
        """
        select 'zendesk:' || ticket.requester_id as person_key, 'support_ticket' as activity
        from (select unnest(tickets) as ticket from read_json({files},
              columns = {{tickets: 'STRUCT(requester_id BIGINT)[]'}}))
        """,
    ),
    "social_reactions": (
        "social/reactions/*.json",
        """
        select element.created.actor as person_key, 'social_reaction' as activity
        from (select unnest(elements) as element from read_json({files},
              columns = {{elements: 'STRUCT(created STRUCT(actor VARCHAR))[]'}}))
        """,
    ),
    "social_comments": (
        "social/comments/*.json",
        """
        select element.actor as person_key, 'social_comment' as activity
        from (select unnest(elements) as element from read_json({files},
              columns = {{elements: 'STRUCT(actor VARCHAR)[]'}}))
        """,
    ),
    "social_forms": (
        "social/responses/*.json",
        """
        select element.submitter as person_key, 'social_form' as activity
        from (select unnest(elements) as element from read_json({files},
              columns = {{elements: 'STRUCT(submitter VARCHAR)[]'}}))
        """,
    ),
    "booth": (
        "booth/**/*.csv",
        """
        select lower("Email Address") as person_key, 'booth_scan' as activity
        from read_csv({files}, header = true, union_by_name = true, all_varchar = true)
        """,
    ),
    "crm_tasks": (
        "crm/tasks/*.json",
        """
        select 'salesforce:' || task.WhoId as person_key, tasks.activity
        from (select unnest(records) as task from read_json({files},
              columns = {{records: 'STRUCT(WhoId VARCHAR, "Type" VARCHAR)[]'}})) as records
        inner join crm_tasks as tasks on lower(records.task.Type) = tasks.task_type
        """,
    ),
}


@dataclass(frozen=True)
class FloorResult:
    seconds: float
    records: int  # activities read (records that map to an activity)
    people: int
    total_points: int


def point_table(rules: dict[str, Any]) -> dict[str, int]:
    """Points per activity: each activity's unconditional engagement rule (only its activity
    named; the lowest priority when several), 0 for an activity no such rule names."""
    chosen: dict[str, tuple[int, int]] = {}
    for rule in rules.get("engagement", []):
        if "activity" not in rule or set(rule) - UNCONDITIONAL_KEYS:
            continue
        priority = int(rule.get("priority", 0))
        current = chosen.get(rule["activity"])
        if current is None or priority < current[0]:
            chosen[rule["activity"]] = (priority, int(rule["points"]))
    return {activity: points for activity, (_, points) in chosen.items()}


def channel_files(landing: Path) -> dict[str, list[str]]:
    """Each channel read's files, left out when it has none (DuckDB fails on an empty glob)."""
    files = {
        name: sorted(str(path) for path in landing.glob(pattern) if path.is_file())
        for name, (pattern, _) in CHANNEL_READS.items()
    }
    return {name: paths for name, paths in files.items() if paths}


def floor_sql(files: dict[str, list[str]]) -> str:
    """The one scoring query over the channels that have files."""
    reads = "\n    union all\n".join(
        CHANNEL_READS[name][1].format(files=json.dumps(paths)) for name, paths in files.items()
    )
    return f"""
        with activities as ({reads or "select null::varchar as person_key, null as activity"})
        select person_key, sum(coalesce(points.points, 0)) as score, count(*) as activities
        from activities left join points using (activity)
        where person_key is not null and activity is not null
        group by person_key
    """  # noqa: S608 (file paths from a glob, quoted by json.dumps)


def run_floor(
    landing: Path, rules_path: Path = DEFAULT_RULES, seeds: Path = SEEDS_DIR
) -> FloorResult:
    """Read the seeds and the point table, then time the one query over the landing files."""
    started = time.perf_counter()
    with duckdb.connect() as connection:
        for table, seed in (("web_paths", "web_page_path_activities"),
                            ("web_track", "web_track_event_activities"),
                            ("email_events", "email_event_activities"),
                            ("crm_tasks", "crm_task_type_activities")):  # fmt: skip
            connection.execute(
                f"create table {table} as select * from read_csv(?, header = true)",  # noqa: S608
                [str(seeds / f"{seed}.csv")],
            )
        points = point_table(yaml.safe_load(rules_path.read_text()))
        connection.execute("create table points (activity varchar, points integer)")
        connection.executemany("insert into points values (?, ?)", list(points.items()))
        connection.execute(f"create table scores as {floor_sql(channel_files(landing))}")
        row = connection.execute(
            "select coalesce(sum(activities), 0), count(*), coalesce(sum(score), 0) from scores"
        ).fetchone()
    assert row is not None
    records, people, total = (int(value) for value in row)
    return FloorResult(time.perf_counter() - started, records, people, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES)
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args()
    result = run_floor(args.landing, args.rules)
    if args.json:
        print(json.dumps(asdict(result)))
    else:
        print(f"floor: {result.seconds:.2f} s, {result.records:,} activities, "
              f"{result.people:,} people, {result.total_points:,} points")  # fmt: skip


if __name__ == "__main__":
    main()
