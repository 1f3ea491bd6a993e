"""Notifications for agents (named in a note, assigned to you, SLA warnings), stored and
pushed live.

Rows are written in the caller's transaction; the live push goes to the shop's agents after
commit with the recipients' membership ids, so each tab shows only its own agent's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from balie.inbox.models import Conversation, Message, Notification, NotificationKind
from balie.inbox.services import trail
from balie.tenancy.models import Membership, Shop


def notifications_build(
    *,
    conversation: Conversation,
    kind: NotificationKind,
    recipient_ids: Iterable[int],
    actor: Membership | None = None,
    message: Message | None = None,
) -> list[Notification]:
    """Unsaved notifications, one per distinct recipient, never for the actor themselves."""
    skip = actor.pk if actor is not None else None
    return [
        Notification(
            shop_id=conversation.shop_id,
            recipient_id=recipient_id,
            kind=kind,
            conversation=conversation,
            message=message,
            actor=actor,
        )
        for recipient_id in dict.fromkeys(recipient_ids)
        if recipient_id != skip
    ]


def notifications_save(notifications: list[Notification]) -> list[Notification]:
    """Store notifications (one query) and push each conversation's batch live after commit."""
    if not notifications:
        return []
    saved = Notification.objects.bulk_create(notifications)
    batches: dict[tuple[int, str], list[Notification]] = {}
    for notification in saved:
        batches.setdefault((notification.conversation_id, notification.kind), []).append(
            notification
        )
    for batch in batches.values():
        trail.publish(
            batch[0].conversation,
            "notification.created",
            notification_kind=batch[0].kind,
            recipient_ids=[notification.recipient_id for notification in batch],
        )
    return saved


@transaction.atomic
def notifications_mark_read(
    *,
    shop: Shop,
    recipient: Membership,
    conversation: Conversation | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Mark the agent's unread notifications read (those of one conversation, or all)."""
    if recipient.shop_id != shop.pk:
        raise ValueError("recipient works for another shop")
    unread = Notification.objects.for_shop(shop).filter(recipient=recipient, read_at__isnull=True)
    if conversation is not None:
        unread = unread.filter(conversation=conversation)
    return unread.update(read_at=now or timezone.now())
