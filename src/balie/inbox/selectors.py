"""Reads for the inbox: conversation lists, one conversation, its messages and events."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404

from balie.inbox import search
from balie.inbox.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    InboxSettings,
    Message,
    SlaPolicy,
)
from balie.tenancy.models import Membership, Shop

_REFERENCE = re.compile(rf"\[?#?[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}\]?", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def inbox_settings_get(*, shop: Shop) -> InboxSettings:
    """The shop's inbox settings; an unsaved row with the defaults when it never set any."""
    settings: InboxSettings | None = InboxSettings.objects.for_shop(shop).first()
    return settings if settings is not None else InboxSettings(shop=shop)


def sla_policy_list(*, shop: Shop) -> QuerySet[SlaPolicy]:
    """The shop's SLA policies, the default ("any") first, then by priority and channel."""
    return SlaPolicy.objects.for_shop(shop)


def access_sla_policy(*, shop: Shop, policy_id: int) -> SlaPolicy:
    """One of the shop's SLA policies; 404 for an id of another shop or none at all."""
    policy: SlaPolicy | None = SlaPolicy.objects.for_shop(shop).filter(pk=policy_id).first()
    if policy is None:
        raise Http404
    return policy


def conversation_list(
    *,
    shop: Shop,
    status: ConversationStatus | str | None = None,
    assignee: Membership | None = None,
    unassigned: bool = False,
    q: str = "",
) -> QuerySet[Conversation]:
    """The shop's conversations, most recent message first.

    `q` is a search (`inbox.search`): every word matches the subject, the messages or the
    customer's name or email address, as a prefix. A conversation's reference ("#K7M2QX9A",
    with or without "#" and brackets) or a whole email address finds that conversation or
    customer exactly.
    """
    conversations = Conversation.objects.for_shop(shop).select_related(
        "customer", "assignee__user", "team"
    )
    if status:
        conversations = conversations.filter(status=status)
    if assignee is not None:
        conversations = conversations.filter(assignee=assignee)
    elif unassigned:
        conversations = conversations.filter(assignee__isnull=True)
    q = q.strip()
    if not q:
        return conversations
    if _REFERENCE.fullmatch(q):
        by_reference = conversations.filter(reference=q.strip("[#]").upper())
        if by_reference.exists():
            return by_reference
    if _EMAIL.fullmatch(q):
        return conversations.filter(customer__email__iexact=q)
    return conversations.filter(search.matching(shop=shop, query=q))


def access_conversation(*, shop: Shop, conversation_id: int) -> Conversation:
    """One of the shop's conversations; 404 for an id of another shop or none at all."""
    conversation: Conversation | None = (
        Conversation.objects.for_shop(shop)
        .select_related("customer", "assignee__user", "team")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def message_list(*, shop: Shop, conversation: Conversation) -> QuerySet[Message]:
    return (
        Message.objects.for_shop(shop)
        .filter(conversation=conversation)
        .select_related("author__user")
        .prefetch_related("attachments")
    )


def event_list(*, shop: Shop, conversation: Conversation) -> QuerySet[ConversationEvent]:
    return (
        ConversationEvent.objects.for_shop(shop)
        .filter(conversation=conversation)
        .select_related("actor__user")
    )
