from __future__ import annotations

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balie.core import services, tasks
from balie.core.models import WorkerHeartbeat
from balie.core.tests import tasks_for_tests

pytestmark = pytest.mark.django_db


def finished_task(*, days_ago: int) -> str:
    result = tasks_for_tests.do_nothing.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return str(result.id)


def heartbeat(worker_id: str, *, seen_at: dt.datetime) -> None:
    services.worker_heartbeat_beat(
        worker_id=worker_id, hostname="web-1", pid=1, started_at=seen_at, now=seen_at
    )


def test_housekeeping_prunes_old_results_and_heartbeats_of_dead_workers() -> None:
    # given
    now = timezone.now()
    old = finished_task(days_ago=15)
    recent = finished_task(days_ago=1)
    waiting = str(tasks_for_tests.do_nothing.enqueue().id)
    heartbeat("dead", seen_at=now - dt.timedelta(hours=1))
    heartbeat("alive", seen_at=now)

    # when
    pruned = tasks.prune_finished_work.call()

    # then
    assert pruned == {"task_results": 1, "heartbeats": 1}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {
        recent,
        waiting,
    }
    assert old not in {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
