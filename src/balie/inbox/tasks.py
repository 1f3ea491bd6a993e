"""Background work of the inbox."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from balie.core.scheduler import periodic
from balie.inbox.services import assignment, sla

# --- SLA clocks and automatic assignment (periodic sweeps) ------------------------------------


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def sla_sweep() -> int:
    """Recompute the SLA clocks that change state by now (warnings, breaches)."""
    return sla.sla_sweep(now=timezone.now())


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def conversations_assign_waiting() -> int:
    """Give conversations waiting in automatically assigning teams to available agents."""
    return assignment.conversations_assign_waiting(now=timezone.now())
