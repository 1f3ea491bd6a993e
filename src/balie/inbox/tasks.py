"""Background work of the inbox. Each task loads by id and calls one service; all are
idempotent and safe to run twice. Periodic sweeps are set-based: one query finds what is due.

Outbound email: delivering messages, the acknowledgement of a new question and the
satisfaction survey. How a message leaves is the channel's business: the services call
`balie.channels.delivery`, a module the channels keep for the inbox, so the inbox never
imports a channel's internals and the channels (which import the inbox) form no cycle with
it. This module and the services import each other as modules (`from balie.inbox import
services`), resolved at call time.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from balie.core.scheduler import periodic
from balie.inbox import services
from balie.tenancy.models import Shop

# --- Outbound messages, acknowledgements and satisfaction surveys ----------------------------


@task(queue_name="email")
def message_deliver(*, shop_id: int, message_id: int, attempt: int) -> str:
    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is None:
        return "skipped"
    return services.message_deliver(shop=shop, message_id=message_id, attempt=attempt)


@periodic(every=dt.timedelta(minutes=15))
@task(queue_name="scheduled")
def deliveries_resume() -> int:
    """Queue again outbound messages whose delivery task was lost."""
    return services.deliveries_resume()


@task(queue_name="email")
def auto_reply_send(*, shop_id: int, message_id: int) -> str:
    shop = Shop.objects.filter(pk=shop_id, is_active=True).first()
    if shop is None:
        return "skipped: shop inactive or gone"
    return services.auto_reply_send(shop=shop, message_id=message_id)


@task(queue_name="email")
def csat_request(*, shop_id: int, conversation_id: int) -> str:
    shop = Shop.objects.filter(pk=shop_id, is_active=True).first()
    if shop is None:
        return "skipped: shop inactive or gone"
    return services.csat_request_send(shop=shop, conversation_id=conversation_id)


# --- SLA clocks, automatic assignment and snoozes (periodic sweeps) -------------------------


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def sla_sweep() -> int:
    """Recompute the SLA clocks that change state by now (warnings, breaches)."""
    return services.sla_sweep(now=timezone.now())


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def conversations_assign_waiting() -> int:
    """Give conversations waiting in automatically assigning teams to available agents."""
    return services.conversations_assign_waiting(now=timezone.now())


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def snoozed_wake() -> int:
    """Re-open snoozed conversations whose moment has come."""
    return services.snoozed_wake(now=timezone.now())
