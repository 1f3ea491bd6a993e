from __future__ import annotations

import json
import signal
import time

from balie.core.tests.subprocesses import Running, run_balie

READ_STATE = """
import json
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from balie.core.models import SchedulerLease
from balie.core.tasks import prune_finished_work
print(json.dumps({
    "enqueued": DBTaskResult.objects.filter(task_path=prune_finished_work.module_path).count(),
    "released": SchedulerLease.objects.get().expires_at <= timezone.now(),
}))
"""


def test_two_scheduler_processes_enqueue_a_due_job_once_and_release_the_lease(
    scratch_database: dict[str, str],
) -> None:
    # given
    schedulers = [Running(["scheduler", "--tick", "0.1"], scratch_database) for _ in range(2)]
    for scheduler in schedulers:
        scheduler.wait_for("Starting scheduler")

    # when: both tick a few times, then stop
    time.sleep(1)
    while_running = [scheduler.output for scheduler in schedulers]
    exit_codes = [scheduler.stop(signal.SIGTERM) for scheduler in schedulers]

    # then
    assert exit_codes == [0, 0], while_running
    assert sum(output.count("took the lease") for output in while_running) == 1, while_running
    state = run_balie(
        ["shell", "--no-imports", "--command", READ_STATE], scratch_database, check=True
    )
    assert json.loads(state.stdout) == {"enqueued": 1, "released": True}
