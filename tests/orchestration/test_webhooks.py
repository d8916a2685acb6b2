"""The one webhook sender against a real HTTP server on a free port: retries, backoff, the
receiver's Retry-After, final 4xx answers, and the body recorded being the body posted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from orchestration.resources import ScoreActionsResource
from orchestration.webhooks import RetryPolicy, json_body, post_json


class ScriptedReceiver:
    """Answers the queued (status, headers) first, then 200; keeps every body it got."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str]]] = []
        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                receiver.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                status, headers = receiver.script.pop(0) if receiver.script else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/hook?token=s3cret"


@pytest.fixture
def receiver() -> Iterator[ScriptedReceiver]:
    server = ScriptedReceiver()
    thread = threading.Thread(target=server.http.serve_forever, daemon=True)
    thread.start()
    yield server
    server.http.shutdown()
    server.http.server_close()


def test_retryable_answers_are_retried_with_doubling_backoff(receiver: ScriptedReceiver) -> None:
    receiver.script = [(503, {}), (500, {})]
    waits: list[float] = []
    payload = {"text": "Lead crossed 60", "leadscore": {"total_score": 64.0}}
    delivery = post_json(receiver.url, payload, RetryPolicy(4, 0.5), sleep=waits.append)
    assert (delivery.delivered, delivery.attempts, delivery.http_status) == (True, 3, 200)
    assert waits == [0.5, 1.0]
    assert receiver.bodies == [json_body(payload).encode()] * 3  # what is recorded is what went


def test_a_429_waits_for_the_receivers_retry_after(receiver: ScriptedReceiver) -> None:
    receiver.script = [(429, {"Retry-After": "7"}), (429, {"Retry-After": "3600"})]
    waits: list[float] = []
    delivery = post_json(receiver.url, {}, RetryPolicy(3, 1.0), sleep=waits.append)
    assert delivery.delivered and delivery.attempts == 3
    assert waits == [7.0, 60.0]  # an hour is capped at a minute


def test_a_client_error_is_final_and_the_error_hides_the_url(receiver: ScriptedReceiver) -> None:
    receiver.script = [(404, {})]
    delivery = post_json(receiver.url, {}, RetryPolicy(4, 0.0), sleep=lambda _: None)
    assert (delivery.delivered, delivery.attempts, delivery.http_status) == (False, 1, 404)
    assert delivery.error == "HTTP 404"


def test_retries_give_up_after_the_last_attempt(receiver: ScriptedReceiver) -> None:
    receiver.script = [(502, {})] * 5
    delivery = post_json(receiver.url, {}, RetryPolicy(2, 0.0), sleep=lambda _: None)
    assert (delivery.delivered, delivery.attempts, delivery.http_status) == (False, 2, 502)
    assert len(receiver.bodies) == 2
    assert "s3cret" not in str(delivery)


def test_the_score_actions_resource_posts_through_the_sender(receiver: ScriptedReceiver) -> None:
    receiver.script = [(503, {})]
    resource = ScoreActionsResource(webhook_attempts=2, webhook_backoff_seconds=0.01)
    delivery = resource.post_json(receiver.url, {"text": "hi"})
    assert (delivery.delivered, delivery.attempts) == (True, 2)
    assert receiver.bodies[-1] == b'{"text": "hi"}'
