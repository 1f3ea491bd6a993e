"""`balie scheduler`: enqueue periodic jobs when due. Run one or more; one holds the lease."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from balie.core import preflight
from balie.core.scheduler import Scheduler, registered_jobs
from balie.core.worker import new_worker_id


class Command(BaseCommand):
    help = "Run the scheduler: enqueues periodic jobs; only one scheduler is active at a time."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--tick", type=float, default=5.0, help="Seconds between rounds (default: 5)"
        )
        parser.add_argument(
            "--supervised",
            action="store_true",
            help="Run under `balie serve`: ignore Ctrl-C (serve forwards it) and stop with it",
        )

    def handle(self, *, tick: float, supervised: bool, **options: Any) -> None:
        preflight.require_database()
        preflight.require_migrated()
        interval = dt.timedelta(seconds=max(tick, 0.1))
        scheduler = Scheduler(
            holder=new_worker_id(),
            jobs=registered_jobs(),
            tick=interval,
            lease_duration=max(dt.timedelta(seconds=30), interval * 6),
        )

        def stop(signum: int, frame: FrameType | None) -> None:
            scheduler.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, signal.SIG_IGN if supervised else stop)
        if supervised:
            _stop_when_orphaned(scheduler, parent_pid=os.getppid())
        scheduler.run()


def _stop_when_orphaned(scheduler: Scheduler, *, parent_pid: int) -> None:
    def watch() -> None:
        while not scheduler.stopping.wait(1.0):
            if os.getppid() != parent_pid:
                scheduler.stop()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
