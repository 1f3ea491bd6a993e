"""Telling agents: a notification row per recipient, pushed live after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from balie.inbox.models import Conversation, Message, Notification, NotificationKind
from balie.tenancy.models import Membership, Shop
from balie.web import realtime


def notify(
    *,
    conversation: Conversation,
    kind: NotificationKind,
    recipients: Iterable[Membership],
    actor: Membership | None = None,
    message: Message | None = None,
) -> list[Notification]:
    """One notification per recipient (never the actor themselves, never twice), each
    announced on the shop's websocket group once the transaction commits. Call inside the
    service's transaction."""
    unique = {
        recipient.pk: recipient
        for recipient in recipients
        if recipient.is_active and (actor is None or recipient.pk != actor.pk)
    }
    notifications = Notification.objects.bulk_create(
        Notification(
            shop_id=conversation.shop_id,
            recipient=recipient,
            kind=kind,
            conversation=conversation,
            message=message,
            actor=actor,
        )
        for recipient in unique.values()
    )
    for notification in notifications:
        realtime.publish_on_commit(
            shop_id=conversation.shop_id,
            payload={
                "type": "notification.created",
                "recipient_id": notification.recipient_id,
                "kind": kind,
                "conversation_id": conversation.pk,
            },
        )
    return notifications


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
