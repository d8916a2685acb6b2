"""The `leadscore` command line: exit codes and messages a person sees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from orchestration.settings import DEFAULT_RULES_PATH


def test_generate_writes_a_landing_zone_and_refuses_to_overwrite_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "landing"
    args = [
        "generate",
        "--out",
        str(out),
        "--leads",
        "20",
        "--days",
        "10",
        "--end-date",
        "2026-06-30",
    ]
    assert main(args) == EXIT_OK
    written = capsys.readouterr().out
    assert written.startswith("Wrote 20 people (")
    assert "2026-06-21 to 2026-06-30" in written
    assert sorted(p.name for p in out.iterdir()) == [
        "booth",
        "crm",
        "email",
        "social",
        "support",
        "web",
    ]
    assert (tmp_path / "landing_truth" / "records.csv").is_file()

    assert main(args) == EXIT_USAGE
    assert "--clean" in capsys.readouterr().err
    assert main([*args, "--clean"]) == EXIT_OK


def test_rules_check_reports_ok_or_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "check", str(DEFAULT_RULES_PATH)]) == EXIT_OK
    assert "OK (rules_version " in capsys.readouterr().out
    broken = tmp_path / "rules.yml"
    broken.write_text(DEFAULT_RULES_PATH.read_text().replace("points: 10", "points: ten", 1))
    assert main(["rules", "check", str(broken)]) == EXIT_FAILED
    assert "engagement[0].points: Input should be a valid number" in capsys.readouterr().err


def test_run_without_a_landing_zone_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["run", "--landing", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert code == EXIT_USAGE
    assert "no landing zone at" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_a_bad_as_of_is_rejected_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["run", "--as-of", "30/06/2026"])
    assert raised.value.code == 2
    assert "expected a day like 2026-06-30" in capsys.readouterr().err


def test_run_on_a_warehouse_another_process_holds_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    warehouse = tmp_path / "w.duckdb"
    holder = subprocess.Popen(  # noqa: S603 - a second process holding the write lock
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); "
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        code = main(["run", "--landing", str(landing), "--warehouse", str(warehouse)])
    finally:
        holder.kill()
        holder.wait()
    assert code == EXIT_USAGE
    assert "is in use by another process" in capsys.readouterr().err
