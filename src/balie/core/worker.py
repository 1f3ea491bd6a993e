"""The task worker behind `balie worker`: django-tasks-db's worker plus a heartbeat.

Claiming a task is django-tasks-db's: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL and an
exclusive transaction on SQLite, so several workers never run the same task twice.
Balie adds a heartbeat row (`WorkerHeartbeat`) written from a side thread every few seconds,
also while a long task runs, and removed on a clean exit; `/readyz` counts fresh rows.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading

from django.db import DatabaseError, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from balie.core import services
from balie.core.readiness import describe

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    """Unique across the pool and readable in the admin: host, pid and a random suffix."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat every `every` seconds until stopped.

    When `parent_pid` is given (the worker runs under `balie serve`), it also stops the worker
    once that parent is gone, so a killed `balie serve` leaves no orphan behind.
    """

    def __init__(self, *, worker_id: str, every: float, parent_pid: int | None) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.parent_pid = parent_pid
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        try:
            services.worker_heartbeat_beat(
                worker_id=self.worker_id,
                hostname=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=self.started_at,
                now=timezone.now(),
            )
        except DatabaseError as error:
            logger.warning(
                "Heartbeat failed: %s", describe(error), extra={"worker_id": self.worker_id}
            )

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                if self.parent_pid is not None and os.getppid() != self.parent_pid:
                    logger.warning("Parent process is gone; stopping the worker")
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                self.beat()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.every + 5)


class HeartbeatWorker(Worker):
    def __init__(
        self,
        *,
        heartbeat_every: float,
        parent_pid: int | None = None,
        queue_names: list[str],
        interval: float,
        batch: bool,
        max_tasks: int | None,
        worker_id: str,
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay: bool = False,
        excluded_queue_names: list[str] | None = None,
    ) -> None:
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names or [],
        )
        self.heartbeat = Heartbeat(
            worker_id=self.worker_id, every=heartbeat_every, parent_pid=parent_pid
        )
        self.supervised = parent_pid is not None

    def configure_signals(self) -> None:
        super().configure_signals()
        if self.supervised:
            # Ctrl-C reaches the whole process group; `balie serve` then sends SIGTERM once.
            # Reacting to both would count as "pressed twice" and abort the running task.
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def run(self) -> None:
        # The first beat is written before any task is claimed, so readiness is immediate.
        self.heartbeat.beat()
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()
            try:
                services.worker_heartbeat_remove(worker_id=self.worker_id)
            except DatabaseError as error:
                logger.warning("Could not remove the heartbeat: %s", describe(error))
