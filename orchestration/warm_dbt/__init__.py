"""Warm dbt: dbt-core imported once per process, each invocation forked from it.

A dbt process spends ~3.2 s of CPU importing dbt-core and its adapter before it reads the
project (`python -X importtime -c "import dbt.cli.main"`). A nightly run makes four dbt
invocations and `leadscore serve` four per micro-batch, so that import was ~13 s of every
run and batch. With warm dbt, the first invocation of a process starts `server.py`, which
imports dbt once; dagster-dbt then runs `leadscore-dbt` (`client.py`) instead of `dbt`, and
the server forks a ready dbt onto the client's pipes. What dagster-dbt sees is unchanged:
the same arguments, environment, working folder, JSON log lines and exit code.

Off with `LEADSCORE_WARM_DBT=0` (settings.py); any failure to start the server falls back
to the plain dbt, as does the client when the server is gone. Standard library only: the
client imports this package, and starts in ~50 ms.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from orchestration.warm_dbt.client import FALLBACK_ENV, SOCKET_ENV

CLIENT_EXECUTABLE = "leadscore-dbt"
SERVER_MODULE = "orchestration.warm_dbt.server"  # [project.scripts] in pyproject.toml
START_TIMEOUT_SECONDS = 60.0  # the server's import takes ~3 s, much more on a loaded machine
REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class _Server:
    process: subprocess.Popen[bytes]
    folder: Path

    @property
    def socket_path(self) -> Path:
        return self.folder / "server.sock"

    def wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.socket_path.exists():
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_server: _Server | None = None


def plain_dbt_executable() -> Path:
    """This venv's dbt (the console script beside the running Python)."""
    return Path(sys.executable).parent / "dbt"


def client_executable(plain_dbt: Path) -> Path:
    """The `leadscore-dbt` beside `plain_dbt` (both are scripts of this venv)."""
    return plain_dbt.parent / CLIENT_EXECUTABLE


def is_warm_client(executable: Path) -> bool:
    return executable.name == CLIENT_EXECUTABLE


def start_warm_dbt(plain_dbt: Path) -> None:
    """Start this process's server if none runs (returns at once; `ensure_warm_dbt` waits)."""
    global _server
    with _lock:
        os.environ[FALLBACK_ENV] = str(plain_dbt)
        if _server is not None and _server.process.poll() is None:
            return
        folder = Path(tempfile.mkdtemp(prefix="leadscore-dbt-"))
        process = subprocess.Popen(
            [sys.executable, "-u", "-m", SERVER_MODULE, str(folder / "server.sock")],
            cwd=REPOSITORY_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            # its own session: a Ctrl-C in the terminal reaches dagster-dbt, which interrupts
            # the dbt through the client, never the server
            start_new_session=True,
        )
        _server = _Server(process, folder)
        atexit.register(_server.stop)


def ensure_warm_dbt(plain_dbt: Path) -> bool:
    """Start the server if needed and wait until it accepts; False: use the plain dbt."""
    start_warm_dbt(plain_dbt)
    server = _server
    if server is None or not server.wait_ready():
        os.environ.pop(SOCKET_ENV, None)
        return False
    os.environ[SOCKET_ENV] = str(server.socket_path)
    return True


def dbt_executable() -> Path:
    """For dbt runs outside dagster-dbt (the model's replays): the client when this process
    already runs a server (a Dagster run with warm dbt on), else the plain dbt."""
    plain_dbt = plain_dbt_executable()
    if _server is None or _server.process.poll() is not None:
        return plain_dbt
    return client_executable(plain_dbt) if ensure_warm_dbt(plain_dbt) else plain_dbt
