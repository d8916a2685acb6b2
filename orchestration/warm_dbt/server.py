"""The warm dbt server: imports dbt once, then forks one dbt per request of `client.py`.

    python -u -m orchestration.warm_dbt.server SOCKET

Each request gets a handler process (forked), which forks the dbt itself on the client's
streams, tells the client its pid, waits for it and sends its exit code. Forking from a
process that has imported dbt but never ran it gives each invocation a fresh dbt (its global
flags, event logger and DuckDB connection are its own) without the ~3 s import. The server
never opens a warehouse. It exits when the process that started it is gone; a handler stops
its dbt when the client is gone (dagster-dbt killed it).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn

from orchestration.warm_dbt.client import (
    STANDARD_STREAMS,
    receive_request,
    send_message,
)

ACCEPT_TIMEOUT_SECONDS = 1.0  # how often the server checks that its starter is alive
STOP_GRACE_SECONDS = 10.0  # a dbt whose client is gone gets SIGINT, then SIGKILL after this


def preload() -> None:
    """What every dbt invocation does before reading the project, done once here.

    The imports (dbt's CLI, the DuckDB adapter), and the JSON schemas dbt builds to validate
    `dbt_project.yml`, `profiles.yml` and its flags (~0.7 s; cached per class by dbt, so a
    forked dbt finds them built).
    """
    import dbt.cli.main  # noqa: F401
    from dbt.contracts import project, selection

    validated: list[Any] = [
        project.Project,
        project.ProjectFlags,
        project.ProfileConfig,
        project.PackageConfig,
        project.Configuration,
        selection.SelectorFile,
    ]
    with contextlib.suppress(ImportError):
        from dbt.adapters.duckdb.credentials import DuckDBCredentials

        validated.append(DuckDBCredentials)
    for contract in validated:
        contract.json_schema()


def serve(socket_path: Path) -> None:
    preload()
    starter = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # bound and listening under another name first: the socket appears ready or not at all
    pending = socket_path.with_name(socket_path.name + ".pending")
    listener.bind(str(pending))
    listener.listen(16)
    pending.rename(socket_path)
    listener.settimeout(ACCEPT_TIMEOUT_SECONDS)
    while os.getppid() == starter:
        _reap_finished_handlers()
        try:
            connection, _address = listener.accept()
        except TimeoutError:
            continue
        if os.fork() == 0:
            listener.close()
            try:
                _handle(connection)
            finally:
                os._exit(0)
        connection.close()


def _reap_finished_handlers() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _handle(connection: socket.socket) -> None:
    connection.setblocking(True)
    request, fds = receive_request(connection)
    dbt_pid = os.fork()
    if dbt_pid == 0:
        connection.close()
        _run_dbt(request, fds)
    for fd in fds:
        os.close(fd)
    send_message(connection, {"pid": dbt_pid})
    exit_code = _supervise(dbt_pid, connection)
    with contextlib.suppress(OSError):
        send_message(connection, {"exit_code": exit_code})


def _supervise(dbt_pid: int, connection: socket.socket) -> int:
    """Wait for the dbt; if the client goes away first, stop the dbt (it has no reader)."""
    pid_fd = os.pidfd_open(dbt_pid)
    poller = select.poll()
    poller.register(pid_fd, select.POLLIN)
    poller.register(connection, select.POLLIN)
    client_gone = False
    while True:
        timeout_ms = int(STOP_GRACE_SECONDS * 1000) if client_gone else None
        ready = {fd for fd, _event in poller.poll(timeout_ms)}
        if pid_fd in ready:
            break
        if client_gone:
            os.kill(dbt_pid, signal.SIGKILL)
        elif connection.fileno() in ready and not connection.recv(1):
            client_gone = True
            poller.unregister(connection)
            os.kill(dbt_pid, signal.SIGINT)
    _pid, status = os.waitpid(dbt_pid, 0)
    os.close(pid_fd)
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code  # killed by a signal: the shell's convention


def _run_dbt(request: dict[str, Any], fds: list[int]) -> NoReturn:
    """In the forked child: become `dbt <args>` on the client's streams, folder and env."""
    for stream, fd in zip(STANDARD_STREAMS, fds, strict=True):
        os.dup2(fd, stream)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.argv = ["dbt", *request["args"]]
    from dbt.cli.main import cli

    code: int
    try:
        cli.main(args=request["args"], prog_name="dbt")
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except KeyboardInterrupt:  # interrupted outside dbt's own handling
        code = 128 + signal.SIGINT
    except Exception:  # noqa: BLE001 - what a plain dbt would print on its way out
        import traceback

        traceback.print_exc()
        code = 1
    # a plain dbt's exit: the atexit functions of what it imported (multiprocessing releases
    # its semaphores there, else its resource tracker warns), the streams flushed
    atexit._run_exitfuncs()
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
