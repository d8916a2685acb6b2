"""One fake API over real HTTP on 127.0.0.1 (a free port): injected faults, a request log."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from testing.fake_apis.pages import FakeApi

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"


@dataclass
class Fault:
    """The next `times` requests fail with `status` (after `delay_seconds`, if any).

    `status=200` with a delay is a slow but good answer (a client timeout, then a retry).
    """

    status: int
    times: int = 1
    retry_after: int | None = None
    delay_seconds: float = 0.0


@dataclass
class LoggedRequest:
    """One request the fake saw (logged on arrival), its status and how many tickets or
    records it answered with (None while a slow answer is still being prepared)."""

    path: str
    params: dict[str, str]
    arrived_at: float  # time.monotonic() on arrival
    status: int | None = None
    records: int | None = None


class FakeApiServer:
    """One fake API on 127.0.0.1 on a free port; `faults` are served before real answers."""

    def __init__(self, api: FakeApi) -> None:
        self.api = api
        self.faults: list[Fault] = []
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((HOST, 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            while self.faults and self.faults[0].times <= 0:
                self.faults.pop(0)
            if not self.faults:
                return None
            self.faults[0].times -= 1
            return self.faults[0]

    def _respond(
        self, path: str, params: dict[str, str], headers: Mapping[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(status, body, extra headers) of one request."""
        if not self.api.authorized(headers):
            return 401, {"error": "Couldn't authenticate you"}, {}
        fault = self._next_fault()
        if fault is not None:
            time.sleep(fault.delay_seconds)
            if fault.status != 200:
                extra = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
                return fault.status, {"error": f"injected {fault.status}"}, extra
        with self._lock:
            return (*self.api.answer(path, params, self.base_url), {})

    def _respond_write(
        self, path: str, body: Any, headers: Mapping[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        """(status, answer, extra headers) of one PATCH: auth, injected faults, then the API."""
        if not self.api.authorized(headers):
            return 401, [{"errorCode": "INVALID_SESSION_ID"}], {}
        fault = self._next_fault()
        if fault is not None and fault.status != 200:
            extra = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            return fault.status, [{"errorCode": f"injected {fault.status}"}], extra
        update = getattr(self.api, "update", None)
        if update is None:
            return 405, [{"errorCode": "METHOD_NOT_ALLOWED"}], {}
        with self._lock:
            return (*update(path, body), {})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query))
                logged = LoggedRequest(url.path, params, time.monotonic())
                with server._lock:
                    server.requests.append(logged)
                status, body, extra_headers = server._respond(url.path, params, self.headers)
                logged.records = len(body.get("tickets") or body.get("records") or [])
                logged.status = status
                # the client may have given up on a slow answer (its timeout): a retry follows
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send_json(status, body, extra_headers)

            def do_PATCH(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                logged = LoggedRequest(url.path, {}, time.monotonic())
                with server._lock:
                    server.requests.append(logged)
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    body = None
                status, answer, extra_headers = server._respond_write(url.path, body, self.headers)
                logged.status = status
                logged.records = len(answer) if isinstance(answer, list) else 0
                self._send_json(status, answer, extra_headers)

            def _send_json(self, status: int, body: Any, extra_headers: Mapping[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra_headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                logger.debug("fake api: " + format, *args)

        return Handler
