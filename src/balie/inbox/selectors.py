"""Reads for the inbox: conversation lists, one conversation, its messages and events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.http import Http404

from balie.customers import selectors as customer_selectors
from balie.inbox import search
from balie.inbox.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Attachment,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    InboxSettings,
    Macro,
    Message,
    SlaPolicy,
    SlaState,
    Tag,
)
from balie.tenancy.models import Membership, Shop

_TAG_FILTERS = 5
# `ordering` of conversation_list -> the ORDER BY; the id breaks ties so pages never overlap.
CONVERSATION_ORDERINGS: dict[str, tuple[str | Combinable, ...]] = {
    "-last_message_at": ("-last_message_at", "-id"),
    "last_message_at": ("last_message_at", "id"),
    "sla_due_at": (F("sla_due_at").asc(nulls_last=True), "id"),
    "-updated_at": ("-updated_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
}
_SETTINGS_CACHE = "_balie_inbox_settings"
_REFERENCE = re.compile(rf"\[?#?[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}\]?", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def inbox_settings_get(*, shop: Shop, cached: bool = False) -> InboxSettings:
    """The shop's inbox settings; an unsaved row with the defaults when it never set any.

    `cached` keeps the answer on this Shop object, for loops over many messages of one shop
    (an import, a mailbox poll); `inbox_settings_update` refreshes it.
    """
    if cached and hasattr(shop, _SETTINGS_CACHE):
        kept: InboxSettings = getattr(shop, _SETTINGS_CACHE)
        return kept
    settings: InboxSettings | None = InboxSettings.objects.for_shop(shop).first()
    answer = settings if settings is not None else InboxSettings(shop=shop)
    if cached:
        setattr(shop, _SETTINGS_CACHE, answer)
    return answer


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
    statuses: Sequence[str] = (),
    assignee_id: int | None = None,
    team_id: int | None = None,
    customer_id: int | None = None,
    customer_email: str = "",
    tags: Sequence[str] = (),
    channel: str = "",
    priorities: Sequence[str] = (),
    updated_since: dt.datetime | None = None,
    sla: str = "",
    ordering: str = "-last_message_at",
) -> QuerySet[Conversation]:
    """The shop's conversations, most recent message first (see CONVERSATION_ORDERINGS).

    `q` is a search (`inbox.search`): every word matches the subject, the messages or the
    customer's name or email address, as a prefix. A conversation's reference ("#K7M2QX9A",
    with or without "#" and brackets) or a whole email address finds that conversation or
    customer exactly.
    Every other filter narrows the list: `statuses`/`priorities` any of them, `tags` all of
    them (any case), `sla` "breaching" (a clock warns) or "breached" (a clock ran out).
    Ids of another shop's objects simply find nothing.
    """
    conversations = (
        Conversation.objects.for_shop(shop)
        .select_related("customer", "assignee__user", "team")
        .order_by(*CONVERSATION_ORDERINGS[ordering])
    )
    if status:
        conversations = conversations.filter(status=status)
    if statuses:
        conversations = conversations.filter(status__in=statuses)
    if priorities:
        conversations = conversations.filter(priority__in=priorities)
    if assignee_id is not None:
        conversations = conversations.filter(assignee_id=assignee_id)
    if team_id is not None:
        conversations = conversations.filter(team_id=team_id)
    if customer_id is not None:
        conversations = conversations.filter(customer_id=customer_id)
    if customer_email:
        conversations = conversations.filter(
            customer__in=customer_selectors.customers_with_email(shop=shop, email=customer_email)
        )
    if channel:
        conversations = conversations.filter(channel=channel)
    if updated_since is not None:
        conversations = conversations.filter(updated_at__gte=updated_since)
    for name in list(dict.fromkeys(tag.lower() for tag in tags))[:_TAG_FILTERS]:
        conversations = conversations.filter(
            pk__in=Conversation.tags.through.objects.filter(
                tag__shop=shop, tag__name__iexact=name
            ).values("conversation_id")
        )
    if sla:
        state = {"breaching": SlaState.WARNING, "breached": SlaState.BREACHED}[sla]
        conversations = conversations.filter(
            Q(sla_first_response_state=state) | Q(sla_resolution_state=state)
        )
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
        return conversations.filter(
            customer__in=customer_selectors.customers_with_email(shop=shop, email=q)
        )
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


def access_attachment(*, shop: Shop, attachment_id: int) -> Attachment:
    """One of the shop's attachments (with its message); 404 for another shop's id."""
    attachment: Attachment | None = (
        Attachment.objects.for_shop(shop).select_related("message").filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise Http404
    return attachment


def tag_list(*, shop: Shop, q: str = "") -> QuerySet[Tag]:
    """The shop's tags by name, each with `conversation_count`."""
    tags: QuerySet[Tag] = Tag.objects.for_shop(shop).annotate(
        conversation_count=Count("conversations")
    )
    if q:
        tags = tags.filter(name__icontains=q.strip())
    return tags.order_by(Lower("name"), "id")


def access_tag(*, shop: Shop, tag_id: int) -> Tag:
    tag: Tag | None = tag_list(shop=shop).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    return tag


def macro_list(
    *, shop: Shop, viewer: Membership | None, active: bool | None = None, q: str = ""
) -> QuerySet[Macro]:
    """The macros `viewer` may use: the shop's shared ones and the viewer's own personal ones
    (an API key, viewer None, sees the shared ones only). Shared first, then by name."""
    visible = Q(owner__isnull=True)
    if viewer is not None:
        visible |= Q(owner=viewer)
    macros = Macro.objects.for_shop(shop).filter(visible)
    if active is not None:
        macros = macros.filter(is_active=active)
    if q:
        macros = macros.filter(name__icontains=q.strip())
    return macros.order_by(F("owner_id").asc(nulls_first=True), Lower("name"), "id")


def access_macro(*, shop: Shop, viewer: Membership | None, macro_id: int) -> Macro:
    """A macro `viewer` may see; another agent's personal macro is as absent as another
    shop's (404)."""
    macro: Macro | None = macro_list(shop=shop, viewer=viewer).filter(pk=macro_id).first()
    if macro is None:
        raise Http404
    return macro
