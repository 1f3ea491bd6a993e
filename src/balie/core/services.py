"""Writes for the process roles' own tables: worker heartbeats, the scheduler lease and
housekeeping of finished work.

Every function takes `now` explicitly so callers (and tests) decide the clock.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from balie.core.models import SchedulerLease, WorkerHeartbeat


def worker_heartbeat_beat(
    *, worker_id: str, hostname: str, pid: int, started_at: dt.datetime, now: dt.datetime
) -> None:
    """Record that the worker is alive at `now`; creates its row on the first beat."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname, "pid": pid, "started_at": started_at, "seen_at": now},
    )


def worker_heartbeat_remove(*, worker_id: str) -> None:
    """Forget a worker that stopped cleanly, so `/readyz` does not count it any longer."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_heartbeat_prune(*, seen_before: dt.datetime) -> int:
    """Delete heartbeats of workers that died without saying goodbye; returns how many."""
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=seen_before).delete()
    return deleted


def task_results_prune(*, finished_before: dt.datetime) -> int:
    """Delete results of tasks that finished (successfully or not) before the moment.

    Ready and running tasks are never touched. Returns how many rows were deleted.
    """
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=finished_before).delete()
    return deleted


def finished_work_prune(
    *, now: dt.datetime, result_retention: dt.timedelta, heartbeat_retention: dt.timedelta
) -> dict[str, int]:
    """The hourly housekeeping: old task results and long-dead workers' heartbeats."""
    return {
        "task_results": task_results_prune(finished_before=now - result_retention),
        "heartbeats": worker_heartbeat_prune(seen_before=now - heartbeat_retention),
    }


def scheduler_lease_acquire(
    *, name: str, holder: str, now: dt.datetime, duration: dt.timedelta
) -> bool:
    """Take or renew the named lease until `now + duration`; True when `holder` has it now.

    The holder renews its own lease; anyone else takes it only after it expired. Both are
    one conditional UPDATE, so two contenders cannot both win (on SQLite and PostgreSQL
    alike). The very first holder creates the row; a unique name makes a racing second
    creator lose.
    """
    taken = (
        SchedulerLease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__lte=now))
        .update(holder=holder, expires_at=now + duration)
    )
    if taken:
        return True
    if SchedulerLease.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=name, holder=holder, expires_at=now + duration)
    except IntegrityError:
        return False
    return True


def scheduler_lease_release(*, name: str, holder: str, now: dt.datetime) -> None:
    """Let go of the lease (when `holder` has it), so a standby scheduler takes over at once."""
    SchedulerLease.objects.filter(name=name, holder=holder).update(expires_at=now)
