"""A real `leadscore serve` subprocess on a free port over a copy of the e2e warehouse, and a
webhook receiver that records what it is sent."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from collector.service import write_cursor
from orchestration.settings import Settings

WRITE_KEY = "wk_test_3f9a"
STARTUP_SECONDS = 60
LISTENING = "listening on http://"


def copy_warehouse(source: Settings, root: Path) -> dict[str, str]:
    """Warehouse, dlt state, landing zone and exports copied under `root`; the serve cursor
    set past every copied file, so `serve` starts with nothing to batch. Returns the env."""
    landing = root / "landing"
    warehouse = root / "warehouse.duckdb"
    shutil.copytree(source.landing_dir, landing)
    shutil.copy2(source.warehouse_path, warehouse)
    shutil.copytree(source.dlt_pipelines_dir, root / "warehouse_dlt")
    shutil.copytree(source.export_dir, root / "exports")
    newest = max(path.stat().st_ctime_ns for path in landing.rglob("*") if path.is_file())
    write_cursor(root / "warehouse_serve_cursor.json", newest)
    return {
        "LEADSCORE_LANDING_DIR": str(landing),
        "LEADSCORE_WAREHOUSE": str(warehouse),
        "LEADSCORE_EXPORT_DIR": str(root / "exports"),
        "LEADSCORE_RULES": str(source.rules_path),
        "LEADSCORE_WRITE_KEY": WRITE_KEY,
        "LEADSCORE_MICRO_BATCH_POLL_SECONDS": "1",
        "RUNTIME__REQUEST_MAX_ATTEMPTS": "3",
        "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.1",
    }


def basic_auth(key: str) -> str:
    """Segment's auth: the write key as Basic user name, no password."""
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


@dataclass
class Answer:
    status: int
    body: Any


class ServeProcess:
    """`leadscore serve --port 0` in its own process group (so a kill takes its dbt child)."""

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "orchestration.cli", "serve", "--port", "0"],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,
        )
        self.base_url = self._wait_for_address()

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            for line in self.log_path.read_text(errors="replace").splitlines()[::-1]:
                if LISTENING in line:
                    return "http://" + line.split(LISTENING, 1)[1].strip()
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        raise TimeoutError("serve did not start listening")

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] = {}
    ) -> Answer:
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
            self.base_url + path, data=body, method=method, headers=dict(headers)
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return Answer(response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            return Answer(error.code, json.loads(error.read() or b"null"))

    def post_segment(self, call_type: str, payload: Any, key: str = WRITE_KEY) -> Answer:
        headers = {"Authorization": basic_auth(key), "Content-Type": "application/json"}
        return self.request("POST", f"/v1/{call_type}", json.dumps(payload).encode(), headers)

    def micro_batches(self) -> int:
        return int(self.request("GET", "/healthz").body["micro_batches"])

    def wait_for_batches(self, count: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while self.micro_batches() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no micro-batch {count}: {self.log_path.read_text()[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> int:
        """SIGTERM: finish the batch in progress, then exit."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=300)
        self._log.close()
        return code

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crash or an OOM kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 recording every JSON body posted to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                receiver.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def events(self) -> list[tuple[str, str]]:
        return [(b["leadscore"]["event"], b["leadscore"]["lead_id"]) for b in self.bodies]


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    receiver._thread.start()
    try:
        yield receiver
    finally:
        receiver._server.shutdown()
        receiver._server.server_close()
