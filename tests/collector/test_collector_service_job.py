"""`collector_service` started by `dagster job execute` on a free port: an accepted Segment
call is landed, and Dagster's interrupt (what the UI's Terminate sends) stops it cleanly."""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import DAGSTER_YAML
from orchestration.collector_job import COLLECTOR_SERVICE_JOB_NAME

# ~60 s, mostly `dagster job execute` loading the code location: with `make test-realtime`
pytestmark = pytest.mark.realtime

WRITE_KEY = "wk_test_job"
START_TIMEOUT_S = 120  # loading the code location on a busy 2-core machine
STOP_TIMEOUT_S = 60


def test_the_dagster_job_collects_until_terminated(tmp_path: Path) -> None:
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(DAGSTER_YAML, dagster_home / "dagster.yaml")
    landing = tmp_path / "landing"
    config = tmp_path / "run_config.json"
    config.write_text(
        json.dumps(
            {
                "ops": {
                    "serve_collector": {
                        "config": {"port": 0, "landing": str(landing), "batching": False}
                    }
                }
            }
        )
    )
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "LEADSCORE_WRITE_KEY": WRITE_KEY,
        "LEADSCORE_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "LEADSCORE_EXPORT_DIR": str(tmp_path / "exports"),
    }
    dagster = Path(sys.executable).parent / "dagster"
    process = subprocess.Popen(  # noqa: S603 - the venv's dagster, fixed arguments
        [str(dagster), "job", "execute", "-m", "orchestration.definitions",
         "-j", COLLECTOR_SERVICE_JOB_NAME, "-c", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    reader = threading.Thread(target=_read_lines, args=(process, lines))
    reader.start()
    log: list[str] = []
    try:
        port = _wait_for_port(process, lines, log)
        answer = _track(port, {"messageId": "m-job-1", "anonymousId": "a-1", "event": "Demo"})
        assert answer == {"success": True}
        landed = [path for path in landing.rglob("*") if path.is_file()]
        assert [path.suffix for path in landed] == [".jsonl"]
        assert json.loads(landed[0].read_text())["messageId"] == "m-job-1"
        # what the UI's Terminate does (DefaultRunLauncher.terminate): mark the run CANCELING,
        # then interrupt its process (the code server sends it SIGINT)
        instance = dg.DagsterInstance.from_config(str(dagster_home))
        (run,) = instance.get_runs()
        instance.report_run_canceling(run)
        process.send_signal(signal.SIGINT)
        process.wait(STOP_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(10)
    while not lines.empty():
        log.append(lines.get())
    text = "".join(log)
    assert "collector stopped" in text
    assert not [path for path in landing.rglob(".*")]  # no partial landing file left
    (run,) = instance.get_runs()
    assert run.job_name == COLLECTOR_SERVICE_JOB_NAME
    assert run.status == dg.DagsterRunStatus.CANCELED, text[-2000:]


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    for line in process.stderr or []:
        lines.put(line)


def _wait_for_port(process: subprocess.Popen[str], lines: queue.Queue[str], log: list[str]) -> int:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and (process.poll() is None or not lines.empty()):
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        log.append(line)
        found = re.search(r"collector listening on http://127\.0\.0\.1:(\d+)", line)
        if found:
            return int(found.group(1))
    raise AssertionError("the job never started listening:\n" + "".join(log)[-3000:])


def _track(port: int, call: dict[str, str]) -> object:
    token = base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"http://127.0.0.1:{port}/v1/track",
        data=json.dumps(call).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())
