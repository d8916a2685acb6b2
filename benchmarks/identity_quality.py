"""Identity resolution: pairwise precision/recall on a dirty landing zone, and its runtime at scale.

    .venv/bin/python benchmarks/identity_quality.py --leads 300 --seed 5 --people 200000

1. Quality: generates a dirty landing zone (`--leads`, `--seed`, ending 2026-06-30), runs the
   whole nightly job, and compares the resolved components with the generator's ground truth
   (definition of the universe in `quality/identity_resolution.py`).
2. Scale: synthesizes identity links for `--people` people directly in DuckDB (an email, two
   cookies, a user id and a Salesforce lead each, a second email for one in five, and 100
   kiosk browsers shared by 10 people each), then times `dbt run` of the identity models
   (guards, edges, components, lead ids) on them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from ingestion.generator import generate_landing_zone
from orchestration.runner import run_nightly
from orchestration.settings import DBT_PROJECT_DIR, configure_library_environment, load_settings
from quality.identity_resolution import measure, measure_reach

IDENTITY_MODELS = (
    "int_identity__key_guards int_identity__edges int_identity__components int_identity__key_leads"
)

SYNTHETIC_LINKS_SQL = """
create schema intermediate;
create schema staging;
create table staging.stg_config__identity_blocked_values as
    select 'email_local_part' as block_kind, 'info' as blocked_value;
create table staging.stg_config__identity_settings as
    select 3::bigint as max_people_per_key, 0.95::double as match_threshold,
        0.8::double as name_only_match_threshold;
create table staging.stg_support__users as
    select '1' as user_id, 'agent@ourco.com' as email, true as is_staff;
create table intermediate.int_identity__links as
with people as (
    select i, 'p' || i || '@example' || (i % 5000) || '.com' as email,
        timestamp '2026-01-01' + to_minutes(i % 100000) as seen_at
    from range(?) as t(i)
)
select 'web' as source, 'anonymous_id' as key_type, 'a' || i || '-' || n as key_value,
    'email' as linked_key_type, email as linked_key_value, 'identify' as link_kind,
    seen_at as linked_at, null::double as match_probability
from people, range(2) as c(n)
union all
select 'web', 'user_id', 'u' || i, 'email', email, 'identify', seen_at, null from people
union all
select 'crm', 'salesforce_lead_id', '00Q' || i, 'email', email, 'profile', seen_at, null from people
union all
select 'email', 'email', email, 'email', email, 'recipient', seen_at, null from people
union all
select 'social', 'email', 'alt' || i || '@gmail.com', 'email', email, 'alias', seen_at, null
from people where i % 5 = 0
union all
select 'web', 'anonymous_id', 'kiosk-' || (i % 100), 'email', email, 'identify', seen_at, null
from people where i < 1000;
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--skip-scale", action="store_true", help="only the quality part")
    args = parser.parse_args()
    configure_library_environment()
    with tempfile.TemporaryDirectory(prefix="leadscore-identity-") as tmp:
        root = Path(tmp)
        quality_on_a_landing_zone(root / "quality", args.leads, args.seed)
        if not args.skip_scale:
            runtime_at_scale(root / "scale", args.people)


def quality_on_a_landing_zone(root: Path, leads: int, seed: int) -> None:
    landing = root / "landing"
    generate_landing_zone(landing, leads=leads, seed=seed, end_date=date(2026, 6, 30))
    settings = load_settings(
        {
            "LEADSCORE_LANDING_DIR": str(landing),
            "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
            "LEADSCORE_EXPORT_DIR": str(root / "exports"),
        }
    )
    started = time.perf_counter()
    result = run_nightly(settings, "2026-07-03")
    print(
        f"pipeline on {leads} leads (seed {seed}): {time.perf_counter() - started:.1f} s, "
        f"success={result.success}"
    )
    quality = measure(root / "landing_truth", settings.warehouse_path)
    print(
        f"visible identifiers {quality.identifiers}, true pairs {quality.true_pairs}, "
        f"predicted pairs {quality.predicted_pairs}, correct {quality.correct_pairs}"
    )
    print(f"pairwise precision {quality.precision:.4f}, recall {quality.recall:.4f}")
    for name, reach in measure_reach(root / "landing_truth", settings.warehouse_path).items():
        print(f"reach {name}: {reach.reached} / {reach.total} = {reach.rate:.4f}")


def runtime_at_scale(root: Path, people: int) -> None:
    root.mkdir(parents=True)
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(SYNTHETIC_LINKS_SQL, [people])
        links = connection.execute("select count(*) from intermediate.int_identity__links")
        link_count = links.fetchone()[0]
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - fixed executable and arguments
        [
            str(Path(sys.executable).parent / "dbt"),
            "run",
            "--select",
            *IDENTITY_MODELS.split(),
            "--vars",
            "{as_of: 2026-06-30}",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
        ],
        env={**os.environ, "LEADSCORE_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(completed.stdout[-3000:])
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        nodes, components, leads, capped = connection.execute(
            "select (select count(*) from intermediate.int_identity__key_leads), "
            "(select count(distinct component_id) from intermediate.int_identity__key_leads), "
            "(select count(distinct lead_id) from intermediate.int_identity__key_leads), "
            "(select count(*) from intermediate.int_identity__key_guards where is_capped)"
        ).fetchone()
    print(
        f"scale: {link_count:,} links, {nodes:,} identifiers -> {components:,} components, "
        f"{leads:,} leads, {capped} capped keys; dbt run of the identity models {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
