"""The collector over real HTTP on a free port (no micro-batches): what lands, what is
refused, what is read back, and that what lands is the channel's normal file format."""

from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sendgrid_vector import EVENTS, PAYLOAD, PUBLIC_KEY, SIGNATURE, TIMESTAMP

from collector.http_server import make_server
from collector.routes import CollectorApp
from collector.score_reads import SNAPSHOT_TABLES, ScoreSnapshot
from collector.sendgrid_requests import load_sendgrid_public_key
from ingestion.email import parse_event as parse_email_event
from ingestion.parsing.fields import Rejection
from ingestion.parsing.readers import LandingFile, read_json_array, read_json_lines
from ingestion.web import parse_event as parse_web_event

KEY = "wk_http_test"
NOW = datetime(2026, 7, 1, 9, 15, 0, tzinfo=UTC)


def write_exports(folder: Path) -> None:
    """Hand-made exports: one scored lead with two emails (one on another source)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "lead_scores": "select 'ld_1' as lead_id, 61.5::decimal(10,2) as total_score, "
        "'hot' as band, 'A1' as grid_cell, 'pricing_page_view +10.00' as top_reasons, "
        "timestamp '2026-07-01 23:59:59.999999' as as_of, 45.0 as fit_score, "
        "16.5 as engagement_score, 'A' as fit_grade, '2' as engagement_tier, "
        "'ana@ourco.example' as owner, 'abc123' as rules_version",
        "lead_profiles": "select 'ld_1' as lead_id, 'kim@acme.io' as email",
        "lead_identities": "select 'ld_1' as lead_id, 'email' as key_type, "
        "'kim.old@acme.io' as key_value",
        "lead_id_aliases": "select 'ld_0' as alias_lead_id, 'ld_1' as lead_id",
    }
    assert set(tables) == set(SNAPSHOT_TABLES)
    for name, sql in tables.items():
        duckdb.execute(f"copy ({sql}) to '{folder / name}.parquet' (format parquet)")


class Client:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def segment(self, call_type: str, payload: Any, key: str = KEY) -> tuple[int, Any]:
        auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.call("POST", f"/v1/{call_type}", body, {"Authorization": auth})


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[tuple[Client, Path, list[int]]]:
    landed: list[int] = []
    app = CollectorApp(
        landing_dir=tmp_path / "landing",
        write_key=KEY,
        sendgrid_key=load_sendgrid_public_key(PUBLIC_KEY),
        scores=ScoreSnapshot(tmp_path / "exports"),
        on_landed=lambda: landed.append(1),
        clock=lambda: NOW,
    )
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Client(f"http://127.0.0.1:{server.server_address[1]}"), tmp_path, landed
    finally:
        server.shutdown()
        server.server_close()


def landed_files(landing: Path, channel: str) -> list[Path]:
    return sorted(path for path in (landing / channel).rglob("*") if path.is_file())


def test_a_batch_lands_as_one_web_file_that_ingestion_parses(
    collector: tuple[Client, Path, list[int]],
) -> None:
    client, root, landed = collector
    batch = {
        "batch": [
            {
                "type": "identify",
                "messageId": "m1",
                "anonymousId": "a1",
                "traits": {"email": "kim@acme.io"},
            },
            {
                "type": "page",
                "messageId": "m2",
                "anonymousId": "a1",
                "properties": {"path": "/pricing"},
            },
            {"type": "track", "anonymousId": "a1", "event": "Demo Requested"},  # no messageId
        ]
    }
    assert client.segment("batch", batch) == (200, {"success": True})
    (path,) = landed_files(root / "landing", "web")
    assert path.relative_to(root / "landing").parts[:2] == ("web", "2026-07-01")
    assert path.name.endswith(".jsonl") and not path.name.startswith(".")
    records = list(read_json_lines(LandingFile(path, "web/x.jsonl"), entity="event"))
    parsed = [parse_web_event(record.value, ()) for record in records]
    assert [row["message_id"] for row in parsed[:2]] == ["m1", "m2"]  # type: ignore[index]
    assert parsed[1]["page_path"] == "/pricing"  # type: ignore[index]
    assert parsed[1]["timestamp"] == NOW  # type: ignore[index]
    assert isinstance(parsed[2], Rejection)
    assert parsed[2].reason == "missing_field: messageId"  # quarantined by ingestion
    assert landed == [1]


def test_single_calls_each_land_a_file(collector: tuple[Client, Path, list[int]]) -> None:
    client, root, _ = collector
    assert (
        client.segment("track", {"messageId": "t1", "userId": "u1", "event": "Chat Started"})[0]
        == 200
    )
    assert client.segment("page", {"messageId": "p1", "anonymousId": "a1"})[0] == 200
    lines = [json.loads(p.read_text()) for p in landed_files(root / "landing", "web")]
    assert sorted(line["type"] for line in lines) == ["page", "track"]


def test_refusals_land_nothing(collector: tuple[Client, Path, list[int]]) -> None:
    client, root, landed = collector
    assert client.segment("track", {"messageId": "t1"}, key="wrong")[0] == 401
    assert client.call("POST", "/v1/track", b"{}")[0] == 401  # no auth at all
    status, body = client.segment("track", b'{"messageId": ')
    assert (status, body["error"]) == (400, "invalid JSON: Expecting value at line 1 column 15")
    status, body = client.segment("track", b"{" + b" " * 33_000 + b"}")
    assert (status, body) == (400, {"error": "body over 32768 bytes"})
    assert client.segment("screen", {"messageId": "s1"})[0] == 404
    assert client.call("POST", "/webhooks/sendgrid", PAYLOAD, {})[0] == 401  # unsigned
    assert not (root / "landing").exists()
    assert landed == []


def test_a_signed_sendgrid_batch_lands_as_an_email_file(
    collector: tuple[Client, Path, list[int]],
) -> None:
    client, root, _ = collector
    headers = {
        "X-Twilio-Email-Event-Webhook-Signature": SIGNATURE,
        "X-Twilio-Email-Event-Webhook-Timestamp": TIMESTAMP,
    }
    assert client.call("POST", "/webhooks/sendgrid", PAYLOAD, headers) == (200, {"success": True})
    (path,) = landed_files(root / "landing", "email")
    (record,) = read_json_array(LandingFile(path, "email/x.json"), entity="event")
    assert record.value == EVENTS[0]
    row = parse_email_event(record.value, ())
    assert row["sg_event_id"] == EVENTS[0]["sg_event_id"]  # type: ignore[index]


def test_a_lead_is_read_by_any_email_or_id(
    collector: tuple[Client, Path, list[int]], caplog: pytest.LogCaptureFixture
) -> None:
    client, root, _ = collector
    assert client.call("GET", "/v1/leads/kim@acme.io")[0] == 503  # nothing published yet
    write_exports(root / "exports")
    caplog.set_level(logging.INFO, logger="leadscore.serve")
    status, row = client.call("GET", "/v1/leads/KIM%40acme.io")
    assert status == 200
    assert row["lead_id"] == "ld_1"
    assert row["total_score"] == 61.5
    assert (row["band"], row["grid_cell"]) == ("hot", "A1")
    assert row["as_of"] == "2026-07-01T23:59:59.999999"
    assert row["updated_at"].startswith(datetime.now(tz=UTC).strftime("%Y-%m-%d"))
    for other in ("kim.old@acme.io", "ld_1", "ld_0"):  # another email, the id, a retired id
        assert client.call("GET", f"/v1/leads/{other}")[1]["lead_id"] == "ld_1"
    assert client.call("GET", "/v1/leads/nobody@acme.io")[0] == 404
    assert client.call("GET", "/healthz") == (200, {"status": "ok"})
    assert "acme.io" not in caplog.text  # no personal data in the logs
    assert "GET /v1/leads/{id} -> 200" in caplog.text
