"""The HTTP plumbing of `leadscore serve`: the standard library's threading server in front
of `CollectorApp`. Nothing here parses a payload; it moves bytes and logs without paths
that could hold personal data (a lead lookup's email)."""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from collector.routes import LEADS_PREFIX, CollectorApp, Reply

log = logging.getLogger("leadscore.serve")


def make_server(app: CollectorApp, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to host:port (0 picks a free port) serving `app`; not yet started."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "leadscore"
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            path = urlsplit(self.path).path
            limit = app.body_limit(path)
            if limit is None:
                self._send(Reply(404, {"error": "no such endpoint"}))
                return
            length_header = self.headers.get("Content-Length")
            if length_header is None or not length_header.isdigit():
                self._send(Reply(411, {"error": "Content-Length required"}), close=True)
                return
            length = int(length_header)
            if length > limit:
                # refused unread; closing drops whatever the client still sends
                self._send(Reply(400, {"error": f"body over {limit} bytes"}), close=True)
                return
            body = self.rfile.read(length)
            self._send(app.post(path, dict(self.headers.items()), body))

        def do_GET(self) -> None:  # noqa: N802
            self._send(app.get(urlsplit(self.path).path))

        def _send(self, reply: Reply, close: bool = False) -> None:
            payload = reply.encoded()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(payload)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            path = urlsplit(self.path).path
            if path.startswith(LEADS_PREFIX):
                path = LEADS_PREFIX + "{id}"  # an email in a log line is personal data
            log.info("%s %s -> %s", self.command, path, code)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            log.debug("http.server: " + format, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
