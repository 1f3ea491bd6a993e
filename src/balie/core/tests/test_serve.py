"""`balie serve` as an operator runs it: a real process on a real port."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from balie.core.tests.subprocesses import Running, free_port


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  # our own http URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_status(url: str, status: int, *, timeout: float = 90) -> bytes:
    """Poll `url` until it answers `status` (a freshly started server needs a moment)."""
    deadline = time.monotonic() + timeout
    last: tuple[int, bytes] | str = "no answer"
    while time.monotonic() < deadline:
        try:
            last = get(url)
        except OSError as error:
            last = repr(error)
        if isinstance(last, tuple) and last[0] == status:
            return last[1]
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered {status}; last: {last!r}")


def children_of(pid: int) -> dict[int, str]:
    """Running child processes of `pid`: their pid and command line."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        state, parent = fields[0], int(fields[1])
        if parent == pid and state != "Z":
            children[int(stat.parent.name)] = command
    return children


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def serve(scratch_database: dict[str, str]) -> Iterator[tuple[Running, str]]:
    port = free_port()
    server = Running(["serve", "--port", str(port)], scratch_database)
    yield server, f"127.0.0.1:{port}"
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def test_serve_runs_web_worker_and_scheduler_and_ctrl_c_stops_them_all(
    serve: tuple[Running, str],
) -> None:
    # given
    server, address = serve
    server.wait_for(f"Balie is running at http://{address}/ with the task worker and scheduler")
    wait_until_status(f"http://{address}/healthz", 200)

    # when
    readiness = json.loads(wait_until_status(f"http://{address}/readyz", 200))
    static_status, stylesheet = get(f"http://{address}/static/admin/css/base.css")
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://{address}/ws/agent/", origin=f"http://{address}", open_timeout=10)
    children = children_of(server.process.pid)
    exit_code = server.stop(signal.SIGINT)

    # then
    assert readiness["status"] == "ok"
    assert (static_status, b"body" in stylesheet) == (200, True)
    assert refused.value.response.status_code == 403  # a websocket without a session
    assert sorted(command.split(" -m balie ")[1].strip() for command in children.values()) == [
        "scheduler --supervised",
        "worker --supervised",
    ]
    assert exit_code == 0, server.output
    assert not [pid for pid in children if is_running(pid)]
    assert "Traceback" not in server.output


def test_serve_stops_with_a_clear_line_when_its_worker_dies(serve: tuple[Running, str]) -> None:
    # given
    server, address = serve
    server.wait_for(f"Balie is running at http://{address}/")
    wait_until_status(f"http://{address}/healthz", 200)
    children = children_of(server.process.pid)
    worker = next(pid for pid, command in children.items() if "balie worker" in command)

    # when
    os.kill(worker, signal.SIGKILL)
    exit_code = server.process.wait(timeout=90)

    # then
    assert exit_code == 1
    assert "balie: the task worker stopped unexpectedly (exit code -9); stopping Balie" in (
        server.output
    )
    assert not [pid for pid in children if is_running(pid)]


def test_serve_without_the_embedded_worker_is_web_only(
    scratch_database: dict[str, str],
) -> None:
    # given
    address = f"127.0.0.1:{free_port()}"
    environment = {**scratch_database, "BALIE_EMBEDDED_WORKER": "false"}
    server = Running(["serve", "--port", address.rsplit(":", 1)[1]], environment)
    try:
        server.wait_for(f"Balie is running at http://{address}/. Press Ctrl-C to stop.")

        # when
        readiness = json.loads(wait_until_status(f"http://{address}/readyz", 503))
        children = children_of(server.process.pid)
    finally:
        exit_code = server.stop(signal.SIGTERM)

    # then
    assert children == {}
    assert readiness["checks"]["worker"]["ok"] is False
    assert exit_code == 0, server.output
