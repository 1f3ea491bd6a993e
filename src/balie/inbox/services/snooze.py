"""Waking snoozed conversations when their moment has come."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from balie.inbox.models import Conversation, ConversationEvent, ConversationStatus, EventKind
from balie.inbox.services import trail

# Conversations woken per transaction; the sweep repeats until none are due.
BATCH = 200


def snoozed_wake(*, now: dt.datetime) -> int:
    """Re-open every snoozed conversation whose `snoozed_until` has passed; how many.

    Set-based and safe to run twice or from two workers at once: each batch locks its rows
    (skipping rows another worker holds) and only wakes those still snoozed. Each woken
    conversation gets a STATUS_CHANGED event ("snooze_ended") and a live update, so it is
    back in its views at once.
    """
    woken = 0
    while True:
        with transaction.atomic():
            due = list(
                Conversation.objects.select_for_update(skip_locked=True)
                .filter(status=ConversationStatus.SNOOZED, snoozed_until__lte=now)
                .order_by("snoozed_until", "pk")[:BATCH]
            )
            if not due:
                return woken
            Conversation.objects.filter(pk__in=[c.pk for c in due]).update(
                status=ConversationStatus.OPEN, snoozed_until=None, updated_at=now
            )
            events = []
            for conversation in due:
                events.append(
                    trail.event(
                        conversation,
                        EventKind.STATUS_CHANGED,
                        old=ConversationStatus.SNOOZED,
                        new=ConversationStatus.OPEN,
                        reason="snooze_ended",
                    )
                )
                conversation.status = ConversationStatus.OPEN
                trail.publish(conversation, "conversation.updated", fields=["status"])
            ConversationEvent.objects.bulk_create(events)
            woken += len(due)
