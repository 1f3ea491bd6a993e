"""Reads for the agent workspace, shaped for its pages: the inbox views with their counts, a
page of list rows with a preview of the last message, a conversation's thread with its
events in between, and the customer beside it. Read-only, like `selectors`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from balie.customers.models import Customer
from balie.inbox import selectors
from balie.inbox.models import (
    ACTIVE_STATUSES,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Direction,
    EventKind,
    Message,
    Notification,
)
from balie.orders.models import Order
from balie.tenancy.models import Membership, Shop, Team

PAGE_SIZE = 50
PREVIEW_CHARS = 180
# "Bijna verlopen": a deadline within this time, or passed already.
BREACHING_SOON = dt.timedelta(hours=1)
OTHER_CONVERSATIONS = 8
RECENT_ORDERS = 5
# Events not shown in the thread: their message is there already.
_SILENT_EVENTS = frozenset(
    {EventKind.CREATED, EventKind.MESSAGE_RECEIVED, EventKind.MESSAGE_SENT, EventKind.NOTE_ADDED}
)


class InboxView(enum.StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    TEAM = "team"
    ALL = "all"
    BREACHING = "breaching"

    @property
    def label(self) -> str:
        return str(_VIEW_LABELS[self])


_VIEW_LABELS = {
    InboxView.MINE: _("Mijn gesprekken"),
    InboxView.UNASSIGNED: _("Niet toegewezen"),
    InboxView.TEAM: _("Mijn teams"),
    InboxView.ALL: _("Alle gesprekken"),
    InboxView.BREACHING: _("SLA bijna verlopen"),
}

# The status filter's choice for "every status".
ANY_STATUS = "any"


@dataclass(frozen=True)
class Filters:
    """What the agent narrowed the list down to (all optional)."""

    status: str = ConversationStatus.OPEN
    q: str = ""
    channel: str = ""
    priority: str = ""
    tag: str = ""
    team_id: int | None = None
    assignee_id: int | None = None


@dataclass(frozen=True)
class ViewCount:
    view: InboxView
    label: str
    count: int


@dataclass(frozen=True)
class Row:
    conversation: Conversation
    preview: str
    last_direction: str
    tags: list[str] = field(default_factory=list)  # names, in order

    @property
    def awaits_agent(self) -> bool:
        """The customer spoke last: someone should answer."""
        return self.last_direction == Direction.INBOUND


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def my_team_ids(*, membership: Membership) -> list[int]:
    return list(membership.teams.values_list("pk", flat=True))


def view_queryset(
    *, shop: Shop, membership: Membership, view: InboxView, filters: Filters, now: dt.datetime
) -> QuerySet[Conversation]:
    """The conversations of `view` with `filters`, in the view's order."""
    conversations = selectors.conversation_list(shop=shop, q=filters.q)
    if view == InboxView.MINE:
        conversations = conversations.filter(assignee=membership)
    elif view == InboxView.UNASSIGNED:
        conversations = conversations.filter(assignee__isnull=True)
    elif view == InboxView.TEAM:
        teams = [filters.team_id] if filters.team_id else my_team_ids(membership=membership)
        conversations = conversations.filter(team_id__in=teams)
    elif view == InboxView.BREACHING:
        conversations = conversations.filter(
            sla_due_at__lte=now + BREACHING_SOON, status__in=ACTIVE_STATUSES
        ).order_by("sla_due_at", "pk")
    if view != InboxView.BREACHING and filters.status != ANY_STATUS:
        conversations = conversations.filter(status=filters.status or ConversationStatus.OPEN)
    if filters.channel:
        conversations = conversations.filter(channel=filters.channel)
    if filters.priority:
        conversations = conversations.filter(priority=filters.priority)
    if filters.tag:
        conversations = conversations.filter(tags__name__iexact=filters.tag)
    if filters.team_id and view != InboxView.TEAM:
        conversations = conversations.filter(team_id=filters.team_id)
    if filters.assignee_id and view not in (InboxView.MINE, InboxView.UNASSIGNED):
        conversations = conversations.filter(assignee_id=filters.assignee_id)
    return conversations


def view_counts(*, shop: Shop, membership: Membership, now: dt.datetime) -> list[ViewCount]:
    """How many open conversations each view holds (breaching: active ones due soon)."""
    active = Conversation.objects.for_shop(shop)
    open_ = active.filter(status=ConversationStatus.OPEN)
    teams = my_team_ids(membership=membership)
    counts = {
        InboxView.MINE: open_.filter(assignee=membership).count(),
        InboxView.UNASSIGNED: open_.filter(assignee__isnull=True).count(),
        InboxView.TEAM: open_.filter(team_id__in=teams).count() if teams else 0,
        InboxView.ALL: open_.count(),
        InboxView.BREACHING: active.filter(
            sla_due_at__lte=now + BREACHING_SOON, status__in=ACTIVE_STATUSES
        ).count(),
    }
    return [ViewCount(view=view, label=view.label, count=counts[view]) for view in InboxView]


# Tag names never hold it (`services.conversations._tag_name` splits on whitespace, which
# in Python includes the unit separator), so it separates them in one string.
_TAG_SEPARATOR = "\x1f"


def page_of(conversations: QuerySet[Conversation], *, number: int) -> Page:
    """One page of list rows, with each conversation's last message as a preview.

    No total count: counting a large inbox costs more than the page; the list offers
    "next" when one more row exists.
    """
    number = max(number, 1)
    start = (number - 1) * PAGE_SIZE
    last = (
        Message.objects.filter(conversation=OuterRef("pk"))
        .exclude(direction=Direction.NOTE)
        .order_by("-created_at", "-id")
    )
    # The tag names as one string per row, in the same query: a prefetch would build a model
    # instance per tag and cost a second round trip.
    tag_names = (
        Conversation.tags.through.objects.filter(conversation_id=OuterRef("pk"))
        .values("conversation_id")
        .annotate(names=StringAgg("tag__name", Value(_TAG_SEPARATOR)))
        .values("names")  # type: ignore[misc]  # django-stubs misses annotations on `through`
    )
    rows = list(
        conversations.annotate(
            preview=Substr(Subquery(last.values("text")[:1]), 1, PREVIEW_CHARS),
            last_direction=Subquery(last.values("direction")[:1]),
            tag_names=Subquery(tag_names),
        )[start : start + PAGE_SIZE + 1]
    )
    return Page(
        rows=[
            Row(
                conversation=conversation,
                preview=" ".join((conversation.preview or "").split()),
                last_direction=conversation.last_direction or "",
                # Sorted here: SQLite before 3.44 cannot order inside an aggregate.
                tags=sorted(
                    conversation.tag_names.split(_TAG_SEPARATOR) if conversation.tag_names else [],
                    key=str.casefold,
                ),
            )
            for conversation in rows[:PAGE_SIZE]
        ],
        number=number,
        has_next=len(rows) > PAGE_SIZE,
    )


@dataclass(frozen=True)
class ThreadItem:
    """A message or an event, in the order they happened."""

    at: dt.datetime
    message: Message | None = None
    event: ConversationEvent | None = None


def thread(*, shop: Shop, conversation: Conversation) -> list[ThreadItem]:
    messages = selectors.message_list(shop=shop, conversation=conversation).prefetch_related(
        "mentions__user"
    )
    events = selectors.event_list(shop=shop, conversation=conversation).exclude(
        kind__in=_SILENT_EVENTS
    )
    items = [ThreadItem(at=message.created_at, message=message) for message in messages]
    items += [ThreadItem(at=event.created_at, event=event) for event in events]
    return sorted(items, key=lambda item: (item.at, item.message is None))


@dataclass(frozen=True)
class CustomerPanel:
    customer: Customer
    conversations: list[Conversation]
    conversation_count: int
    orders: list[Order]
    order_count: int


def customer_panel(*, shop: Shop, conversation: Conversation) -> CustomerPanel:
    """The customer beside a conversation: their other conversations and recent orders."""
    customer = conversation.customer
    others = (
        Conversation.objects.for_shop(shop).filter(customer=customer).exclude(pk=conversation.pk)
    )
    orders = Order.objects.for_shop(shop).filter(customer=customer).order_by("-placed_at")
    return CustomerPanel(
        customer=customer,
        conversations=list(others.order_by("-last_message_at")[:OTHER_CONVERSATIONS]),
        conversation_count=others.count(),
        orders=list(orders[:RECENT_ORDERS]),
        order_count=orders.count(),
    )


@dataclass(frozen=True)
class Choices:
    """What the conversation's controls offer: the shop's agents and teams."""

    agents: list[Membership] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


def choices(*, shop: Shop) -> Choices:
    agents = (
        Membership.objects.for_shop(shop)
        .filter(is_active=True)
        .exclude(role="viewer")
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return Choices(agents=list(agents), teams=list(Team.objects.for_shop(shop).order_by("name")))


def unread_notifications(*, shop: Shop, membership: Membership) -> QuerySet[Notification]:
    return (
        Notification.objects.for_shop(shop)
        .filter(recipient=membership, read_at__isnull=True)
        .select_related("conversation", "actor__user")
    )


def notification_list(*, shop: Shop, membership: Membership) -> QuerySet[Notification]:
    return (
        Notification.objects.for_shop(shop)
        .filter(recipient=membership)
        .select_related("conversation__customer", "actor__user")
    )


def tag_counts(*, shop: Shop) -> list[tuple[str, int]]:
    """The shop's tags with how many open conversations carry each, most used first."""
    return list(
        Conversation.objects.for_shop(shop)
        .filter(status=ConversationStatus.OPEN, tags__isnull=False)
        .values_list("tags__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "tags__name")[:30]
    )


def conversations_by_ids(*, shop: Shop, ids: list[int]) -> list[Conversation]:
    """The shop's conversations among `ids` (others' ids silently drop out)."""
    return list(Conversation.objects.for_shop(shop).filter(pk__in=ids[: PAGE_SIZE * 4]))


def merge_candidates(*, shop: Shop, conversation: Conversation) -> list[Conversation]:
    """Conversations this one might be merged into: the same customer's, newest first."""
    return list(
        Conversation.objects.for_shop(shop)
        .filter(customer=conversation.customer, merged_into__isnull=True)
        .exclude(pk=conversation.pk)
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(last_message_at__gte=conversation.created_at))
        .order_by("-last_message_at")[:10]
    )
