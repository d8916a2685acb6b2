"""Warm dbt: an invocation forked from a server that imported dbt behaves like a plain dbt."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warm_dbt import client_executable, ensure_warm_dbt, plain_dbt_executable
from orchestration.warm_dbt.client import SOCKET_ENV
from orchestration.warm_dbt.server import _supervise

PLAIN_DBT = plain_dbt_executable()
WARM_DBT = client_executable(PLAIN_DBT)


def run(executable: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = subprocess.run(  # noqa: S603 - our own executables
        [str(executable), *args],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    # dbt stamps each log line with the time of day
    return result.returncode, re.sub(r"\d\d:\d\d:\d\d", "<time>", result.stdout + result.stderr)


@pytest.fixture(scope="module")
def warm_server() -> None:
    assert ensure_warm_dbt(PLAIN_DBT)


@pytest.mark.usefixtures("warm_server")
@pytest.mark.parametrize(
    "args",
    [
        ["run", "--help"],  # exit 0, output on stdout
        ["no-such-command"],  # exit 2, click's usage error on stderr
        ["debug", "--config-dir"],  # reads the profile's folder from the environment
    ],
)
def test_a_forked_dbt_answers_exactly_like_the_plain_dbt(args: list[str]) -> None:
    env = {**os.environ, "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
    warm = run(WARM_DBT, *args, env=env)
    assert warm == run(PLAIN_DBT, *args, env=env)
    assert warm[0] == (2 if args == ["no-such-command"] else 0)


def test_the_client_runs_the_plain_dbt_when_no_server_listens(tmp_path: Path) -> None:
    env = {**os.environ, SOCKET_ENV: str(tmp_path / "gone.sock")}
    code, output = run(WARM_DBT, "run", "--help", env=env)
    assert (code, output) == run(PLAIN_DBT, "run", "--help")
    assert "--select" in output


def test_a_dbt_whose_client_went_away_is_interrupted() -> None:
    # dagster-dbt killed the client (nobody reads the dbt's output any more): the handler
    # interrupts its dbt, as dagster-dbt would have, and reports how it ended
    sleeper = subprocess.Popen(["sleep", "60"])  # noqa: S607 - stands in for a dbt
    handler_end, client_end = socket.socketpair()
    client_end.close()
    assert _supervise(sleeper.pid, handler_end) == 128 + 2  # ended by SIGINT


def test_the_server_stops_when_the_process_that_started_it_ends(tmp_path: Path) -> None:
    starter = textwrap.dedent(
        f"""
        from pathlib import Path
        from orchestration.warm_dbt import ensure_warm_dbt
        import orchestration.warm_dbt as warm
        assert ensure_warm_dbt(Path({str(PLAIN_DBT)!r}))
        print(warm._server.process.pid, flush=True)
        import os; os._exit(0)  # gone without its atexit clean-up
        """
    )
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", starter], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    server_pid = int(output.split()[-1])
    for _ in range(100):  # the server checks its starter every second
        if not Path(f"/proc/{server_pid}").exists() or _is_zombie(server_pid):
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{server_pid}").exists() or _is_zombie(server_pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except FileNotFoundError:
        return True
