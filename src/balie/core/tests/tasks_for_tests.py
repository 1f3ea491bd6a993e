"""Tasks the worker and scheduler tests enqueue; importable by worker subprocesses too."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task

from balie.core.models import WorkerHeartbeat


@task()
def do_nothing() -> None:
    """A job for the scheduler tests: what matters is that it is enqueued."""


@task()
def count_heartbeats() -> int:
    return WorkerHeartbeat.objects.count()


@task()
def record_run(number: int, log: str, workers: int) -> None:
    """Append "ran <number> <pid>" to the file `log`, but only once `workers` different
    processes have started a task: a start barrier, so the workers really compete."""
    path = Path(log)
    with path.open("a", encoding="utf-8") as lines:
        lines.write(f"start {os.getpid()}\n")
    deadline = time.monotonic() + 60
    while len(_pids(path, "start")) < workers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {workers} workers started a task")
        time.sleep(0.02)
    time.sleep(0.02)
    with path.open("a", encoding="utf-8") as lines:
        lines.write(f"ran {number} {os.getpid()}\n")


def _pids(path: Path, kind: str) -> set[str]:
    return {
        line.split()[-1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"{kind} ")
    }
