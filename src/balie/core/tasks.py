"""Housekeeping jobs of the process roles themselves."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail
from django.tasks import task
from django.utils import timezone

from balie.core import services
from balie.core.scheduler import periodic

# Finished task results are kept this long for inspection in the admin, then pruned.
TASK_RESULT_RETENTION = dt.timedelta(days=14)


@periodic(every=dt.timedelta(hours=1))
@task(queue_name="scheduled")
def prune_finished_work() -> dict[str, int]:
    """Delete old finished task results and heartbeats of workers that died long ago."""
    return services.finished_work_prune(
        now=timezone.now(),
        result_retention=TASK_RESULT_RETENTION,
        heartbeat_retention=dt.timedelta(seconds=settings.BALIE_WORKER_HEARTBEAT_TIMEOUT * 10),
    )


@task(queue_name="email")
def system_mail_send(*, to: list[str], subject: str, body: str) -> None:
    """Send a mail of the installation itself (password reset, invitation) by the default
    mailer. Runs in the worker, so a slow or failing SMTP server never delays a request or
    tells its timing; the task result keeps the error when sending fails."""
    mail.EmailMessage(subject=subject, body=body, to=to).send()
