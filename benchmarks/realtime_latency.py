"""Real time: request -> updated score latency, collector throughput, micro-batch cost.

    .venv/bin/python benchmarks/realtime_latency.py --landing L --warehouse W --exports E

Over a warehouse built by `leadscore run` (the 1M-touchpoint one: `leadscore generate
--leads 44000 --days 90`, then `leadscore run`):

1. latency: starts `leadscore serve` on a free port, sends `--events` Segment batches (an
   identify and a pricing page view of a known lead) one by one, `--interval` seconds
   apart, and polls `GET /v1/leads/{email}` until each lead's score moved; prints p50/p95
   of request -> updated score and the micro-batch times `serve` reported;
2. throughput: a collector-only server (no micro-batches) on a scratch landing zone,
   `--throughput-events` single `/v1/track` calls from 4 client threads: events/s accepted
   (each one fsynced to disk before its 200).

The events it sends stay in the warehouse (their messageIds are unique per run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from serve_harness import WRITE_KEY, ServeProcess, basic_auth  # noqa: E402

from collector.service import write_cursor  # noqa: E402

COLLECTOR_ONLY = """
import sys
from pathlib import Path
from collector.http_server import make_server
from collector.routes import CollectorApp
from collector.score_reads import ScoreSnapshot
app = CollectorApp(Path(sys.argv[1]), sys.argv[2], None, ScoreSnapshot(Path(sys.argv[1])))
server = make_server(app, "127.0.0.1", 0)
print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
server.serve_forever()
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pick_leads(exports: Path, count: int) -> list[tuple[str, float]]:
    rows = duckdb.execute(
        "select p.email, s.total_score from read_parquet(?) as s "
        "inner join read_parquet(?) as p on s.lead_id = p.lead_id "
        "where p.email is not null and not s.is_disqualified order by hash(p.lead_id) limit ?",
        [str(exports / "lead_scores.parquet"), str(exports / "lead_profiles.parquet"), count],
    ).fetchall()
    return [(email, float(total)) for email, total in rows]


def pricing_visit(email: str, run: str) -> dict[str, object]:
    now = datetime.now(tz=UTC).isoformat().replace("+00:00", "Z")
    anonymous = f"bench-{run}-{email}"
    base = {"anonymousId": anonymous, "timestamp": now}
    return {
        "batch": [
            {**base, "type": "identify", "messageId": f"{anonymous}-i", "traits": {"email": email}},
            {
                **base,
                "type": "page",
                "messageId": f"{anonymous}-p",
                "properties": {"path": "/pricing", "url": "https://www.example.com/pricing"},
            },
        ],
        "sentAt": now,
    }


def measure_latency(args: argparse.Namespace, log_dir: Path) -> None:
    newest = max(p.stat().st_ctime_ns for p in args.landing.rglob("*") if p.is_file())
    write_cursor(args.warehouse.with_name(f"{args.warehouse.stem}_serve_cursor.json"), newest)
    env = {
        "LEADSCORE_LANDING_DIR": str(args.landing),
        "LEADSCORE_WAREHOUSE": str(args.warehouse),
        "LEADSCORE_EXPORT_DIR": str(args.exports),
        "LEADSCORE_WRITE_KEY": WRITE_KEY,
        "LEADSCORE_MICRO_BATCH_POLL_SECONDS": "1",
    }
    serve = ServeProcess(env, log_dir / "serve.log")
    run = uuid.uuid4().hex[:8]
    leads = pick_leads(args.exports, args.events)
    sent_at: dict[str, float] = {}
    latencies: dict[str, float] = {}
    batch_seconds: list[float] = []

    def poll_until_scored(deadline: float) -> None:
        # Scores change only when a batch publishes: watch /healthz at 4 Hz (cheap) and read
        # every lead still waiting once per finished batch, so the poller does not load the
        # service it measures.
        seen_batches = serve.micro_batches()
        while len(latencies) < len(sent_at) and time.monotonic() < deadline:
            health = serve.request("GET", "/healthz").body
            if health["micro_batches"] == seen_batches:
                time.sleep(0.25)
                continue
            seen_batches = health["micro_batches"]
            batch_seconds.append(health["last_micro_batch_seconds"])
            for email, before in leads:
                if email in sent_at and email not in latencies:
                    body = serve.request("GET", f"/v1/leads/{email}").body
                    if body and abs(float(body["total_score"]) - before) > 0.001:
                        latencies[email] = time.monotonic() - sent_at[email]

    poller = threading.Thread(target=poll_until_scored, args=(time.monotonic() + 3600,))
    for index, (email, _) in enumerate(leads):
        answer = serve.post_segment("batch", pricing_visit(email, run))
        if answer.status != 200:
            raise RuntimeError(f"event {index} refused: {answer}")
        sent_at[email] = time.monotonic()
        if index == 0:
            poller.start()
        time.sleep(args.interval)
    poller.join()
    serve.stop()
    values = list(latencies.values())
    print(
        f"events sent one by one: {len(sent_at)} ({args.interval} s apart); scored: {len(values)}"
    )
    print(
        f"request -> updated score: p50 {percentile(values, 0.5):.1f} s, "
        f"p95 {percentile(values, 0.95):.1f} s, max {max(values):.1f} s"
    )
    print(
        f"micro-batches: {len(batch_seconds)}, seconds each: {batch_seconds} "
        f"(median {statistics.median(batch_seconds):.1f} s); load average now "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )


def measure_throughput(args: argparse.Namespace, scratch: Path) -> None:
    import urllib.request

    log = scratch / "collector.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(  # noqa: S603 - our own code
            [sys.executable, "-c", COLLECTOR_ONLY, str(scratch / "landing"), WRITE_KEY],
            stdout=handle,
            stderr=handle,
        )
    try:
        deadline = time.monotonic() + 30
        while "listening" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        url = log.read_text().split("listening on ", 1)[1].split()[0] + "/v1/track"
        headers = {"Authorization": basic_auth(WRITE_KEY), "Content-Type": "application/json"}

        def send(number: int) -> int:
            body = json.dumps(
                {"messageId": f"tp-{number}", "anonymousId": "a", "event": "Chat Started"}
            ).encode()
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(send, range(args.throughput_events)))
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=10)
    files = len(list((scratch / "landing" / "web").rglob("*.jsonl")))
    accepted = statuses.count(200)
    print(
        f"collector: {accepted} of {len(statuses)} calls accepted in {elapsed:.1f} s = "
        f"{accepted / elapsed:,.0f} events/s (4 client threads; {files} files landed)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--exports", type=Path, required=True)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between events")
    parser.add_argument("--throughput-events", type=int, default=2000)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument(
        "--log-dir", type=Path, default=Path(tempfile.gettempdir()) / "leadscore-realtime-logs"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leadscore-realtime-") as scratch:
        measure_throughput(args, Path(scratch))
    if not args.skip_latency:
        args.log_dir.mkdir(parents=True, exist_ok=True)
        measure_latency(args, args.log_dir)
        print(f"serve's log: {args.log_dir / 'serve.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
