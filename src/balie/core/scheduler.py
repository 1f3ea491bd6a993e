"""Periodic jobs: a registry in code and the one scheduler that enqueues them when due.

A job is a task with an interval:

    @periodic(every=dt.timedelta(hours=1))
    @task(queue_name="scheduled")
    def prune_finished_work() -> None: ...

The scheduler does not run jobs; it enqueues them for the task workers. When a job is due,
the scheduler moves its `ScheduledJobRun.last_enqueued_at` forward and enqueues the task in
the same transaction (the task queue lives in the same database), so a restart neither
skips nor repeats a run. After downtime a job that missed several intervals runs once.

Exactly one scheduler is active across all machines: the one holding the `SchedulerLease`.
Others stand by and take over when the holder stops renewing it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from balie.core import services
from balie.core.models import ScheduledJobRun
from balie.core.readiness import describe

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Task[[], Any]


_registry: dict[str, PeriodicJob] = {}


def periodic(*, every: dt.timedelta) -> Callable[[Task[[], Any]], Task[[], Any]]:
    """Register a task (without arguments) to be enqueued every `every`; put it above @task."""
    if every <= dt.timedelta(0):
        raise ValueError("a periodic job needs a positive interval")

    def register(task: Task[[], Any]) -> Task[[], Any]:
        if not isinstance(task, Task):
            raise TypeError("@periodic goes above @task, on a task function")
        _registry[task.module_path] = PeriodicJob(name=task.module_path, every=every, task=task)
        return task

    return register


def registered_jobs() -> list[PeriodicJob]:
    """Every job registered in an installed app's `tasks` module, by name."""
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda job: job.name)


def enqueue_due_jobs(*, jobs: list[PeriodicJob], now: dt.datetime) -> list[str]:
    """Enqueue each job whose interval has passed since it was last enqueued; names enqueued.

    A job never enqueued before is due at once. The conditional UPDATE makes this safe to
    call twice for the same moment: the second call finds nothing due.
    """
    enqueued = []
    for job in jobs:
        with transaction.atomic():
            moved = ScheduledJobRun.objects.filter(
                name=job.name, last_enqueued_at__lte=now - job.every
            ).update(last_enqueued_at=now)
            if not moved and not _first_run(job=job, now=now):
                continue
            job.task.enqueue()
        enqueued.append(job.name)
        logger.info("Enqueued periodic job", extra={"job": job.name, "at": now.isoformat()})
    return enqueued


def _first_run(*, job: PeriodicJob, now: dt.datetime) -> bool:
    if ScheduledJobRun.objects.filter(name=job.name).exists():
        return False
    try:
        with transaction.atomic():
            ScheduledJobRun.objects.create(name=job.name, last_enqueued_at=now)
    except IntegrityError:
        return False
    return True


class Scheduler:
    """The loop behind `balie scheduler`: hold the lease, enqueue what is due, repeat.

    The lease lasts `lease_duration` and is renewed every `tick`, so a scheduler that dies
    is replaced within one lease duration. Keep machine clocks in sync (NTP): the lease
    compares each scheduler's own clock with the expiry the holder wrote.
    """

    def __init__(
        self,
        *,
        holder: str,
        jobs: list[PeriodicJob],
        tick: dt.timedelta = dt.timedelta(seconds=5),
        lease_duration: dt.timedelta = dt.timedelta(seconds=30),
    ) -> None:
        if lease_duration <= tick * 2:
            raise ValueError("the lease must outlast at least two ticks")
        self.holder = holder
        self.jobs = jobs
        self.tick_interval = tick
        self.lease_duration = lease_duration
        self.is_leader = False
        self.stopping = threading.Event()

    def tick(self, *, now: dt.datetime) -> list[str]:
        """One round: take or renew the lease; when held, enqueue due jobs (names returned)."""
        leader = services.scheduler_lease_acquire(
            name=LEASE_NAME, holder=self.holder, now=now, duration=self.lease_duration
        )
        if leader != self.is_leader:
            logger.info(
                "Scheduler %s the lease",
                "took" if leader else "lost",
                extra={"holder": self.holder},
            )
            self.is_leader = leader
        if not leader:
            return []
        return enqueue_due_jobs(jobs=self.jobs, now=now)

    def run(self) -> None:
        """Tick until `stop()` is called, then release the lease for a quick hand-over."""
        logger.info(
            "Starting scheduler",
            extra={"holder": self.holder, "jobs": [job.name for job in self.jobs]},
        )
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    self.tick(now=timezone.now())
                except DatabaseError as error:
                    # The database may come back; until then the lease simply runs out.
                    logger.warning(
                        "Scheduler tick failed: %s", describe(error), extra={"holder": self.holder}
                    )
                self.stopping.wait(self.tick_interval.total_seconds())
        finally:
            if self.is_leader:
                try:
                    services.scheduler_lease_release(
                        name=LEASE_NAME, holder=self.holder, now=timezone.now()
                    )
                except DatabaseError as error:
                    logger.warning("Could not release the lease: %s", describe(error))
            logger.info("Scheduler stopped", extra={"holder": self.holder})

    def stop(self) -> None:
        self.stopping.set()
