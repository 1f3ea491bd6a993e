"""`balie worker`: run background tasks until stopped (Ctrl-C or SIGTERM finish the task first)."""

from __future__ import annotations

import logging
import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from balie.core import preflight
from balie.core.env import ConfigurationError
from balie.core.worker import HeartbeatWorker, new_worker_id


class Command(BaseCommand):
    help = "Run a task worker: claims tasks from the database queue and runs them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Comma-separated queues to work on, or * for all (default: *)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait before looking again when the queue is empty (default: 1)",
        )
        parser.add_argument("--batch", action="store_true", help="Run what is ready now, then exit")
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks"
        )
        parser.add_argument(
            "--supervised",
            action="store_true",
            help="Run under `balie serve`: ignore Ctrl-C (serve forwards it) and stop with it",
        )

    def handle(
        self,
        *,
        queue_name: str,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        supervised: bool,
        verbosity: int,
        **options: Any,
    ) -> None:
        if interval < 0 or (max_tasks is not None and max_tasks < 1):
            raise CommandError("--interval must be ≥ 0 and --max-tasks ≥ 1")
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise ConfigurationError(
                "balie worker needs BALIE_TASKS_BACKEND=django_tasks_db.DatabaseBackend"
            )
        preflight.require_database()
        preflight.require_migrated()
        if verbosity == 0:
            logging.getLogger("django_tasks_db").setLevel(logging.CRITICAL)
            logging.getLogger("django.tasks").setLevel(logging.CRITICAL)
        timeout = settings.BALIE_WORKER_HEARTBEAT_TIMEOUT
        worker = HeartbeatWorker(
            heartbeat_every=min(5.0, timeout / 3),
            parent_pid=os.getppid() if supervised else None,
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            startup_delay=not supervised and not batch,
            max_tasks=max_tasks,
            worker_id=new_worker_id(),
        )
        worker.configure_signals()
        worker.run()
