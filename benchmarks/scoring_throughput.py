"""Scoring throughput: dbt time and peak memory of the scoring models on 1M touchpoints.

    .venv/bin/python benchmarks/scoring_throughput.py --touchpoints 1000000 --leads 50000

Builds the hand-made test warehouse (tests/dbt/warehouse_fixture.py) with the shipped rules,
runs `dbt build` once so every upstream model exists, then replaces `marts.touchpoints` and
`marts.lead_profiles` with synthetic rows made in DuckDB (every rule kind gets work: pricing
views and chats for context bonuses, email opens past their cap, pricing-link clicks, tagged
tickets, rated booth scans, calls, reactions past the group cap, negative actions) and times
`dbt run` of the scoring models (stages, ledger, scores, history, alerts). Prints the wall
time, the rows per second and the peak resident memory of the dbt process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dbt"))

from test_dbt_build import run_dbt  # noqa: E402
from warehouse_fixture import build_warehouse  # noqa: E402

from orchestration.settings import DEFAULT_RULES_PATH, configure_library_environment  # noqa: E402

AS_OF = "2026-06-30"
# the scoring stages (int_scoring__*: owners, matches, caps), ledger, scores, history, alerts
SCORING_MODELS = (
    "path:models/intermediate/scoring score_ledger lead_scores lead_score_history score_alerts"
)

# (activity, channel, weight, detail, url, duration): the mix of synthetic touchpoints
_MIX_SQL = """
    select * from (values
        ('pricing_page_view', 'web', 12, null, 'https://ex.io/pricing', null),
        ('product_page_view', 'web', 14, null, 'https://ex.io/product/a', null),
        ('blog_view', 'web', 14, null, 'https://ex.io/blog/x', null),
        ('home_view', 'direct_mail', 3, null, 'https://ex.io/', null),
        ('chat_started', 'web', 4, null, null, null),
        ('chat_message', 'web', 4, 'pricing', null, null),
        ('brochure_download', 'web', 3, null, null, null),
        ('careers_page_view', 'web', 2, null, 'https://ex.io/careers', null),
        ('email_open', 'email', 22, null, null, null),
        ('email_click', 'email', 5, null, 'https://ex.io/pricing?utm=1', null),
        ('email_click', 'email', 5, null, 'https://ex.io/blog', null),
        ('email_unsubscribe', 'email', 1, null, null, null),
        ('social_reaction', 'social', 6, 'LIKE', null, null),
        ('social_comment', 'social', 2, null, null, null),
        ('support_ticket', 'support', 1, '["pre-sales"]', null, null),
        ('support_ticket', 'support', 1, '["billing"]', null, null),
        ('booth_scan', 'event', 1, 'hot', null, null),
        ('sales_call', 'sales', 1, null, null, 300)
    ) as mix(activity, channel, weight, detail, url, duration_seconds)
"""


def synthesize(warehouse: Path, touchpoints: int, leads: int) -> None:
    """Replace the touchpoints and profiles marts with `touchpoints` rows over `leads` people."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("select setseed(0.42)")
        con.execute(f"create temp table mix as {_MIX_SQL}")
        con.execute(
            "create temp table slots as "
            "select mix.*, sum(weight) over (order by activity, channel, url, detail "
            "rows between unbounded preceding and current row) as upto from mix"
        )
        total_weight = con.execute("select sum(weight) from mix").fetchone()[0]
        con.execute("delete from marts.lead_profiles")
        con.execute(
            "insert into marts.lead_profiles by name "
            "select 'ld_' || lpad(cast(n as varchar), 16, '0') as lead_id, "
            "'p' || n || '@co' || (n % 997) || '.com' as email, "
            "'co' || (n % 997) || '.com' as email_domain, "
            "['VP Sales', 'Marketing Manager', 'Engineer', 'Intern', 'CTO'][1 + n % 5] as title, "
            "['Software', 'Retail', 'Banking', 'Healthcare'][1 + n % 4] as industry, "
            "(n % 40) * 50 as employee_count, ['US', 'DE', 'FR', 'BR'][1 + n % 4] as country, "
            "timestamp '2026-01-01' + to_seconds(n) as first_seen_at "
            "from range(?) as t(n)",
            [leads],
        )
        con.execute("delete from marts.touchpoints")
        con.execute(
            "insert into marts.touchpoints by name "
            "with draws as ("
            "  select n, floor(random() * ?) as pick, floor(random() * ?) as lead_n,"
            "  timestamp '2026-06-30 23:00:00' - to_seconds(cast(random() * 180 * 86400 as bigint))"
            "  as occurred_at from range(?) as t(n)"
            ") "
            "select md5('bench:' || n) as touchpoint_id, "
            "'ld_' || lpad(cast(cast(lead_n as bigint) as varchar), 16, '0') as lead_id, "
            "slots.channel as source, slots.channel, slots.activity, draws.occurred_at, "
            "'spring' as campaign, slots.url, null as page_path, null as event_name, "
            "slots.detail, slots.duration_seconds, 'bench' as source_record_id, "
            "'bench' as load_id from draws inner join slots "
            "on draws.pick >= slots.upto - slots.weight and draws.pick < slots.upto",
            [total_weight, leads, touchpoints],
        )
        count = con.execute("select count(*) from marts.touchpoints").fetchone()[0]
        assert count == touchpoints, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=1_000_000)
    parser.add_argument("--leads", type=int, default=50_000)
    args = parser.parse_args()
    configure_library_environment()

    with tempfile.TemporaryDirectory(prefix="leadscore-scoring-bench-") as tmp:
        work = Path(tmp)
        warehouse = work / "bench.duckdb"
        build_warehouse(warehouse, DEFAULT_RULES_PATH)
        result = run_dbt(["build", "--vars", f"{{as_of: {AS_OF}}}"], warehouse, work)
        assert result.returncode == 0, result.stdout[-3000:]

        started = time.perf_counter()
        synthesize(warehouse, args.touchpoints, args.leads)
        print(f"synthesized {args.touchpoints:,} touchpoints of {args.leads:,} leads "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

        started = time.perf_counter()
        result = run_dbt(
            ["run", "--select", *SCORING_MODELS.split(), "--vars", f"{{as_of: {AS_OF}}}"],
            warehouse,
            work,
        )
        seconds = time.perf_counter() - started
        assert result.returncode == 0, result.stdout[-3000:]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with duckdb.connect(str(warehouse), read_only=True) as con:
            ledger, scored, capped = con.execute(
                "select count(*), count(distinct lead_id), count(*) filter (cap_effect < 0) "
                "from marts.score_ledger"
            ).fetchone()
            mismatched = con.execute(
                "select count(*) from marts.lead_scores as scores left join (select lead_id, "
                "sum(points_effective) as points, bool_or(is_disqualifier) as dq "
                "from marts.score_ledger group by 1) as ledger using (lead_id) "
                "where scores.total_score <> case when ledger.dq then 0 "
                "else round(coalesce(ledger.points, 0), 2) end"
            ).fetchone()[0]
        rate = args.touchpoints / seconds
        print(f"dbt run of the scoring models: {seconds:.1f} s wall "
              f"({rate:,.0f} touchpoints/s, dbt start-up included)")  # fmt: skip
        print(f"ledger rows {ledger:,} for {scored:,} leads ({capped:,} cut by caps); "
              f"totals not equal to their ledger: {mismatched}")  # fmt: skip
        print(f"peak RSS of the dbt process: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
