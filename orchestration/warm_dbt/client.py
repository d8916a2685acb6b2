"""The `dbt` executable dagster-dbt starts when a warm dbt server runs (standard library only).

It sends its arguments, working folder, environment and its own stdin/stdout/stderr to the
server, which forks a dbt that has already imported dbt-core: that dbt writes straight to
this process's pipes, so dagster-dbt reads its JSON log lines as from a plain `dbt`. A signal
this process gets (dagster-dbt interrupts with SIGINT) is passed to that dbt; its exit code
becomes this one. Without a reachable server it runs the plain dbt instead.

Also the wire format of both sides: a 4-byte big-endian length, then that much JSON.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
from pathlib import Path
from typing import Any

SOCKET_ENV = "LEADSCORE_WARM_DBT_SOCKET"  # the server's Unix socket
FALLBACK_ENV = "LEADSCORE_WARM_DBT_FALLBACK"  # the plain dbt executable
STANDARD_STREAMS = (0, 1, 2)
HEADER = struct.Struct(">I")


def send_message(connection: socket.socket, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode("utf-8")
    connection.sendall(HEADER.pack(len(body)) + body)


def receive_exactly(connection: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = connection.recv(remaining)
        if not chunk:
            raise ConnectionError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive_message(connection: socket.socket) -> dict[str, Any]:
    (size,) = HEADER.unpack(receive_exactly(connection, HEADER.size))
    message: dict[str, Any] = json.loads(receive_exactly(connection, size))
    return message


def send_request(connection: socket.socket, request: dict[str, Any]) -> None:
    """The request, with this process's standard streams attached to its first bytes."""
    body = json.dumps(request).encode("utf-8")
    header = HEADER.pack(len(body))
    socket.send_fds(connection, [header], list(STANDARD_STREAMS))
    connection.sendall(body)


def receive_request(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    header, fds, _flags, _address = socket.recv_fds(connection, HEADER.size, len(STANDARD_STREAMS))
    if len(header) < HEADER.size:  # the header's first bytes carried the streams
        header += receive_exactly(connection, HEADER.size - len(header))
    (size,) = HEADER.unpack(header)
    request: dict[str, Any] = json.loads(receive_exactly(connection, size))
    return request, fds


def run_plain_dbt(args: list[str]) -> None:
    executable = os.environ[FALLBACK_ENV]
    os.execv(executable, [executable, *args])


def main() -> None:
    args = sys.argv[1:]
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(os.environ[SOCKET_ENV])
    except (KeyError, OSError):
        run_plain_dbt(args)  # never returns
    request = {"args": args, "cwd": str(Path.cwd()), "env": dict(os.environ)}
    send_request(connection, request)
    dbt_pid = receive_message(connection)["pid"]

    def forward(signum: int, _frame: object) -> None:
        os.kill(dbt_pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    try:
        exit_code = int(receive_message(connection)["exit_code"])
    except ConnectionError:
        sys.stderr.write("warm dbt: the server closed the connection before dbt exited\n")
        exit_code = 1
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
