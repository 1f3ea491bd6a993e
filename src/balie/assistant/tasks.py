"""Background work of the assistant: replies a chatting shopper missed, sent by email."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from balie.assistant import chat
from balie.core.scheduler import periodic


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def chat_unread_mail() -> int:
    """Mail chat replies the shopper has not read (they left the page) to their address."""
    return chat.chat_unread_mail(now=timezone.now())
