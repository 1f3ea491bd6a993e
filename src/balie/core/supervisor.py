"""Child processes of `balie serve`: the embedded task worker and scheduler.

They run in serve's process group, so Ctrl-C in a terminal reaches them too; started with
`--supervised`, they ignore SIGINT and wait for the one SIGTERM serve sends while it shuts
down (a second signal would abort the task a worker is running). If serve itself is killed,
they notice their parent is gone and stop.

Policy: when a child dies, serve stops as a whole with a clear line instead of restarting
it; a crash loop stays visible and the process manager (systemd, Docker, `make run`)
decides what happens next.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import balie

# The roles serve runs beside the web server, as `balie <command> --supervised`.
EMBEDDED_ROLES = {"task worker": "worker", "scheduler": "scheduler"}


@dataclass(frozen=True)
class Child:
    role: str
    process: subprocess.Popen[bytes]


def start(roles: dict[str, str]) -> list[Child]:
    """Start `balie <command> --supervised` for each role; output goes to serve's terminal."""
    source_dir = str(Path(balie.__file__).resolve().parent.parent)
    python_path = os.environ.get("PYTHONPATH")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([source_dir, python_path] if python_path else [source_dir]),
    }
    # Children inherit an ignored SIGINT (Python then installs no KeyboardInterrupt handler),
    # so an early Ctrl-C cannot kill them half-way through start-up either.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return [
            Child(
                role=role,
                process=subprocess.Popen(  # noqa: S603  # our own interpreter and module
                    [sys.executable, "-m", "balie", command, "--supervised"],
                    env=environment,
                    stdin=subprocess.DEVNULL,
                ),
            )
            for role, command in roles.items()
        ]
    finally:
        signal.signal(signal.SIGINT, previous)


def first_exited(children: list[Child]) -> Child | None:
    return next((child for child in children if child.process.poll() is not None), None)


def stop(children: list[Child], *, grace: float) -> None:
    """SIGTERM every running child once, wait up to `grace` seconds, then kill stragglers."""
    running = [child for child in children if child.process.poll() is None]
    for child in running:
        child.process.terminate()
    deadline = time.monotonic() + grace
    for child in running:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            sys.stderr.write(f"balie: the {child.role} did not stop in {grace:g}s; killing it\n")
            child.process.kill()
            child.process.wait()
