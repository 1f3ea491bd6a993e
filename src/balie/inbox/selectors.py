"""Reads for the inbox: conversation lists, one conversation, its messages and events."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    ConversationStatus,
    InboxSettings,
    Message,
    SlaPolicy,
)
from balie.tenancy.models import Membership, Shop

_SEARCH_WORDS = 5


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

    `q` matches every word against subject, reference and the customer's name and email (a
    leading "#" on a reference is ignored). Full-text search comes with the agent workspace.
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
    for word in q.split()[:_SEARCH_WORDS]:
        conversations = conversations.filter(
            Q(subject__icontains=word)
            | Q(reference__iexact=word.strip("[#]"))
            | Q(customer__email__icontains=word)
            | Q(customer__first_name__icontains=word)
            | Q(customer__last_name__icontains=word)
        )
    return conversations


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
