"""Background work of the channels: polling the shops' mailboxes."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from balie.channels.email import services
from balie.channels.models import Mailbox
from balie.core.scheduler import periodic


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def mailboxes_poll() -> int:
    """Queue one poll per active mailbox; returns how many were queued."""
    # A mailbox without an IMAP server only sends.
    ids = list(
        Mailbox.objects.filter(is_active=True).exclude(imap_host="").values_list("pk", flat=True)
    )
    for mailbox_id in ids:
        mailbox_poll.enqueue(mailbox_id=mailbox_id)
    return len(ids)


@task(queue_name="email")
def mailbox_poll(*, mailbox_id: int) -> dict[str, object]:
    mailbox = Mailbox.objects.select_related("shop").filter(pk=mailbox_id, is_active=True).first()
    if mailbox is None:
        return {"skipped": "inactive or deleted"}
    result = services.mailbox_poll(mailbox=mailbox)
    return {
        "received": result.received,
        "duplicates": result.duplicates,
        "rejected": result.rejected,
        "restarted": result.restarted,
        "skipped": result.skipped,
        "error_code": result.error_code,
    }
