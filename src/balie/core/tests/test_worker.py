from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from balie.core.models import WorkerHeartbeat
from balie.core.tests import tasks_for_tests
from balie.core.tests.subprocesses import balie_command, run_balie
from balie.core.worker import HeartbeatWorker, new_worker_id

TASKS = 40


def batch_worker() -> HeartbeatWorker:
    return HeartbeatWorker(
        heartbeat_every=60,
        queue_names=["*"],
        interval=0,
        batch=True,
        max_tasks=None,
        worker_id=new_worker_id(),
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_heartbeats_while_it_runs_and_removes_its_row_when_it_stops() -> None:
    # given
    result = tasks_for_tests.count_heartbeats.enqueue()

    # when
    batch_worker().run()

    # then
    assert DBTaskResult.objects.get(id=result.id).return_value == 1
    assert not WorkerHeartbeat.objects.exists()


def test_two_workers_run_each_task_exactly_once(
    scratch_database: dict[str, str], tmp_path: Path
) -> None:
    # given
    log = tmp_path / "runs.log"
    log.touch()
    run_balie(
        [
            "shell",
            "--command",
            "from balie.core.tests.tasks_for_tests import record_run\n"
            f"for number in range({TASKS}): record_run.enqueue(number, {str(log)!r}, 2)",
        ],
        scratch_database,
        check=True,
    )

    # when
    workers = [
        subprocess.Popen(  # noqa: S603  # our own command
            balie_command("worker", "--batch", "--interval", "0.01"),
            env=scratch_database,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=180)[0] for worker in workers]

    # then
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    runs = [line.split() for line in log.read_text().splitlines() if line.startswith("ran ")]
    assert Counter(int(number) for _ran, number, _pid in runs) == Counter(range(TASKS))
    assert len({pid for _ran, _number, pid in runs}) == 2
