"""Reshaping threads: merging two conversations about one question, splitting a message that
asks something else into a conversation of its own."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.customers import services as customers_services
from balie.customers.models import IdentityChannel
from balie.inbox import errors, search
from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Direction,
    EventKind,
    Message,
    reference_token_new,
)
from balie.inbox.services import trail
from balie.tenancy.models import Membership, Shop


def _lock_both(*, shop: Shop, first: Conversation, second: Conversation) -> dict[int, Conversation]:
    # Always in primary-key order, so two merges of the same pair cannot deadlock.
    ids = sorted({first.pk, second.pk})
    return {
        conversation.pk: conversation
        for conversation in Conversation.objects.for_shop(shop)
        .select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }


@transaction.atomic
def conversation_merge(
    *, shop: Shop, source: Conversation, target: Conversation, actor: Membership | None
) -> Conversation:
    """Move every message of `source` into `target` and close `source` for good.

    `source` keeps its own trail and points to `target` (`merged_into`); replies to its
    messages, and mail quoting its reference, continue in `target` from now on. Tags are
    combined. Both conversations get a MERGED event. Returns the fresh target.
    """
    if source.shop_id != shop.pk or target.shop_id != shop.pk:
        raise ValueError("both conversations must belong to the shop")
    if source.pk == target.pk:
        raise errors.MergeInvalid(_("Een gesprek kan niet met zichzelf samengaan."), field="target")
    locked = _lock_both(shop=shop, first=source, second=target)
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise errors.MergeInvalid(
            _("Dit gesprek is al samengevoegd met een ander gesprek."), field="target"
        )
    moved = Message.objects.for_shop(shop).filter(conversation=source).update(conversation=target)
    target.tags.add(*source.tags.all())
    target.last_message_at = max(target.last_message_at, source.last_message_at)
    now = timezone.now()
    old_status = source.status
    source.status = ConversationStatus.CLOSED
    source.snoozed_until = None
    source.resolved_at = source.resolved_at or now
    source.merged_into = target
    source.save(
        update_fields=["status", "snoozed_until", "resolved_at", "merged_into", "updated_at"]
    )
    target.save(update_fields=["last_message_at", "updated_at"])
    ConversationEvent.objects.bulk_create(
        [
            trail.event(
                source,
                EventKind.MERGED,
                actor=actor,
                into=target.pk,
                into_reference=target.reference,
                messages=moved,
            ),
            trail.event(
                source, EventKind.STATUS_CHANGED, actor=actor, old=old_status, new="closed"
            ),
            trail.event(
                target,
                EventKind.MERGED,
                actor=actor,
                merged_from=source.pk,
                merged_from_reference=source.reference,
                messages=moved,
            ),
        ]
    )
    search.conversations_reindex([source.pk, target.pk])
    trail.publish(source, "conversation.updated", fields=["status", "merged_into"])
    trail.publish(target, "conversation.updated", fields=["messages"])
    return target


@transaction.atomic
def conversation_split(
    *, shop: Shop, conversation: Conversation, message: Message, actor: Membership | None
) -> Conversation:
    """Move `message` into a new conversation, as a new question with its own reference.

    The new conversation belongs to whoever wrote the message (for a customer's message:
    the customer known by that sender address; otherwise the same customer), keeps the team,
    priority and channel, and starts open. A conversation's only message cannot be split off.
    Both get a SPLIT event; the new one also CREATED. Returns the new conversation.
    """
    if conversation.shop_id != shop.pk or message.shop_id != shop.pk:
        raise ValueError("conversation and message must belong to the shop")
    conversation = Conversation.objects.for_shop(shop).select_for_update().get(pk=conversation.pk)
    if message.conversation_id != conversation.pk:
        raise errors.SplitInvalid(_("Dit bericht hoort niet bij dit gesprek."), field="message")
    if (
        not Message.objects.for_shop(shop)
        .filter(conversation=conversation)
        .exclude(pk=message.pk)
        .exists()
    ):
        raise errors.SplitInvalid(
            _("Dit is het enige bericht van het gesprek; er valt niets af te splitsen."),
            field="message",
        )
    customer = conversation.customer
    if message.direction == Direction.INBOUND and message.sender_address:
        customer, _created = customers_services.customer_find_or_create_by_identity(
            shop=shop,
            channel=IdentityChannel.EMAIL if "@" in message.sender_address else message.channel,
            value=message.sender_address,
            name=message.sender_name,
        )
    new = Conversation.objects.create(
        shop=shop,
        customer=customer,
        channel=message.channel or conversation.channel,
        channel_account=conversation.channel_account,
        subject=(message.subject or conversation.subject)[:255],
        priority=conversation.priority,
        team=conversation.team,
        language=message.language or conversation.language,
        reference=_free_reference(shop=shop),
        last_message_at=message.created_at,
    )
    Message.objects.for_shop(shop).filter(pk=message.pk).update(conversation=new)
    ConversationEvent.objects.bulk_create(
        [
            trail.event(new, EventKind.CREATED, actor=actor, channel=new.channel),
            trail.event(
                new,
                EventKind.SPLIT,
                actor=actor,
                split_from=conversation.pk,
                split_from_reference=conversation.reference,
                message_id=message.pk,
            ),
            trail.event(
                conversation,
                EventKind.SPLIT,
                actor=actor,
                split_into=new.pk,
                split_into_reference=new.reference,
                message_id=message.pk,
            ),
        ]
    )
    search.conversations_reindex([conversation.pk, new.pk])
    trail.publish(conversation, "conversation.updated", fields=["messages"])
    trail.publish(new, "conversation.created")
    return new


def _free_reference(*, shop: Shop) -> str:
    for _attempt in range(5):
        reference = reference_token_new()
        if not Conversation.objects.for_shop(shop).filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free conversation reference after 5 attempts")
