"""`leadscore serve` refuses to start without what it needs, with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.cli import EXIT_USAGE, main


def test_serve_refuses_to_start_without_a_write_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LEADSCORE_WRITE_KEY", raising=False)
    code = main(["serve", "--port", "0", "--landing", str(tmp_path / "landing")])
    assert code == EXIT_USAGE
    assert "LEADSCORE_WRITE_KEY is not set" in capsys.readouterr().err


def test_serve_refuses_a_malformed_sendgrid_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEADSCORE_WRITE_KEY", "wk")
    monkeypatch.setenv("LEADSCORE_SENDGRID_PUBLIC_KEY", "not-a-key")
    code = main(["serve", "--port", "0", "--landing", str(tmp_path / "landing")])
    assert code == EXIT_USAGE
    assert "not a base64 DER public key" in capsys.readouterr().err
