from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from balie.core import services, tasks
from balie.core.models import ScheduledJobRun, SchedulerLease
from balie.core.scheduler import LEASE_NAME, PeriodicJob, Scheduler, periodic, registered_jobs
from balie.core.tests import tasks_for_tests

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
HOURLY = PeriodicJob(
    name="tests.do_nothing", every=dt.timedelta(hours=1), task=tasks_for_tests.do_nothing
)


def scheduler(holder: str) -> Scheduler:
    return Scheduler(
        holder=holder,
        jobs=[HOURLY],
        tick=dt.timedelta(seconds=5),
        lease_duration=dt.timedelta(seconds=30),
    )


def enqueued() -> int:
    return DBTaskResult.objects.filter(task_path=tasks_for_tests.do_nothing.module_path).count()


def test_only_one_of_two_schedulers_holds_the_lease() -> None:
    # given
    first, second = scheduler("first"), scheduler("second")

    # when
    first.tick(now=NOON)
    second.tick(now=NOON + dt.timedelta(seconds=1))

    # then
    assert (first.is_leader, second.is_leader) == (True, False)
    assert SchedulerLease.objects.get(name=LEASE_NAME).holder == "first"


def test_the_holder_keeps_the_lease_by_renewing_it() -> None:
    # given
    first, second = scheduler("first"), scheduler("second")
    first.tick(now=NOON)

    # when: first renews every 5 s; second keeps trying beyond the original 30 s
    for seconds in range(5, 65, 5):
        first.tick(now=NOON + dt.timedelta(seconds=seconds))
        second.tick(now=NOON + dt.timedelta(seconds=seconds, milliseconds=500))

    # then
    assert (first.is_leader, second.is_leader) == (True, False)


def test_another_scheduler_takes_over_when_the_lease_expired() -> None:
    # given
    first, second = scheduler("first"), scheduler("second")
    first.tick(now=NOON)
    second.tick(now=NOON + dt.timedelta(seconds=29))

    # when: first stopped renewing (crashed); its lease ran out at 12:00:30
    second.tick(now=NOON + dt.timedelta(seconds=30))

    # then
    assert second.is_leader
    assert SchedulerLease.objects.get(name=LEASE_NAME).holder == "second"
    assert not services.scheduler_lease_acquire(
        name=LEASE_NAME,
        holder="first",
        now=NOON + dt.timedelta(seconds=31),
        duration=dt.timedelta(seconds=30),
    )


def test_a_released_lease_is_taken_over_at_once() -> None:
    # given
    services.scheduler_lease_acquire(
        name=LEASE_NAME, holder="first", now=NOON, duration=dt.timedelta(seconds=30)
    )

    # when
    services.scheduler_lease_release(name=LEASE_NAME, holder="first", now=NOON)

    # then
    assert services.scheduler_lease_acquire(
        name=LEASE_NAME, holder="second", now=NOON, duration=dt.timedelta(seconds=30)
    )


def test_a_job_that_never_ran_is_enqueued_at_once() -> None:
    # when
    names = scheduler("first").tick(now=NOON)

    # then
    assert names == ["tests.do_nothing"]
    assert enqueued() == 1
    assert ScheduledJobRun.objects.get(name="tests.do_nothing").last_enqueued_at == NOON


def test_a_due_job_is_enqueued_once_however_often_the_scheduler_ticks() -> None:
    # given
    ScheduledJobRun.objects.create(name="tests.do_nothing", last_enqueued_at=NOON)
    leader = scheduler("first")

    # when
    for seconds in (0, 5, 10):
        leader.tick(now=NOON + dt.timedelta(hours=1, seconds=seconds))

    # then
    assert enqueued() == 1
    assert ScheduledJobRun.objects.get(name="tests.do_nothing").last_enqueued_at == (
        NOON + dt.timedelta(hours=1)
    )


def test_a_job_that_is_not_due_is_not_enqueued() -> None:
    # given
    ScheduledJobRun.objects.create(name="tests.do_nothing", last_enqueued_at=NOON)

    # when
    names = scheduler("first").tick(now=NOON + dt.timedelta(minutes=59, seconds=59))

    # then
    assert names == []
    assert enqueued() == 0


def test_a_restarted_scheduler_neither_repeats_nor_skips_a_run() -> None:
    # given: a scheduler enqueued the job at noon, then stopped
    before_restart = scheduler("before-restart")
    before_restart.tick(now=NOON)
    services.scheduler_lease_release(name=LEASE_NAME, holder="before-restart", now=NOON)
    after_restart = scheduler("after-restart")

    # when
    too_soon = after_restart.tick(now=NOON + dt.timedelta(minutes=30))
    on_time = after_restart.tick(now=NOON + dt.timedelta(hours=1))

    # then
    assert (too_soon, on_time) == ([], ["tests.do_nothing"])
    assert enqueued() == 2


def test_a_standby_scheduler_enqueues_nothing() -> None:
    # given: the job is due, and another scheduler holds the lease
    ScheduledJobRun.objects.create(name="tests.do_nothing", last_enqueued_at=NOON)
    services.scheduler_lease_acquire(
        name=LEASE_NAME,
        holder="first",
        now=NOON + dt.timedelta(hours=2),
        duration=dt.timedelta(seconds=30),
    )

    # when
    names = scheduler("second").tick(now=NOON + dt.timedelta(hours=2, seconds=10))

    # then
    assert names == []
    assert enqueued() == 0


def test_the_housekeeping_job_is_registered() -> None:
    # when
    jobs = {job.name: job for job in registered_jobs()}

    # then
    assert jobs[tasks.prune_finished_work.module_path].every == dt.timedelta(hours=1)


def test_periodic_refuses_a_plain_function() -> None:
    # given
    def plain() -> None: ...

    # when / then
    with pytest.raises(TypeError, match="above @task"):
        periodic(every=dt.timedelta(minutes=5))(plain)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_of_schedulers_racing_for_a_new_lease_exactly_one_wins() -> None:
    # given
    contenders = 4
    start = threading.Barrier(contenders)

    def contend(holder: str) -> bool:
        try:
            start.wait()
            return services.scheduler_lease_acquire(
                name=LEASE_NAME, holder=holder, now=NOON, duration=dt.timedelta(seconds=30)
            )
        finally:
            connection.close()

    # when
    with ThreadPoolExecutor(max_workers=contenders) as pool:
        won = list(pool.map(contend, [f"scheduler-{n}" for n in range(contenders)]))

    # then
    assert won.count(True) == 1
    assert SchedulerLease.objects.get().holder == f"scheduler-{won.index(True)}"
