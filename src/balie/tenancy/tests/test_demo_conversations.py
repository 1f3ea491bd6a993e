"""The demo inbox: ~500 believable conversations over 90 days, answerable from the demo."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db.models import Count, Min, Q
from django.utils import timezone
from pytest_django import Settings

from balie.customers.models import Customer
from balie.inbox import selectors, services
from balie.inbox.models import (
    ACTIVE_STATUSES,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    Message,
    Notification,
)
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.demo import seeding
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)  # a Tuesday morning


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Shop]:
    """One seeded demo for the module's read-only checks (seeding takes seconds); each test
    still runs in its own transaction, and the demo is removed afterwards."""
    with django_db_blocker.unblock():
        shop = seeding.demo_seed(now=NOW, password="demo-wachtwoord").shop
    yield shop
    with django_db_blocker.unblock():
        seeding.demo_remove()


def test_the_demo_inbox_has_every_kind_of_question_and_state(demo: Shop) -> None:
    # given
    conversations = Conversation.objects.for_shop(demo)

    # then about 500 conversations over the last 90 days, all six topics, every status
    assert conversations.count() == 500
    oldest = conversations.aggregate(Min("created_at"))["created_at__min"]
    assert NOW - dt.timedelta(days=91) < oldest < NOW - dt.timedelta(days=80)
    assert not conversations.filter(last_message_at__gt=NOW).exists()
    topics = Counter(conversations.values_list("topic", flat=True))
    assert set(topics) == {
        "retourneren",
        "bezorgen",
        "betalen",
        "facturen",
        "garantie",
        "producten",
    }
    assert min(topics.values()) >= 30
    statuses = Counter(conversations.values_list("status", flat=True))
    assert set(statuses) == set(ConversationStatus.values)
    active = sum(statuses[status] for status in ACTIVE_STATUSES)
    assert 25 <= active <= 100
    assert conversations.filter(status="open", assignee=None).exists()
    assert set(conversations.values_list("priority", flat=True)) >= {"normal", "high"}
    assert conversations.filter(language="en").exists()
    assert conversations.filter(tags__name="klacht").count() >= 20


def test_each_thread_reads_like_real_email_in_order(demo: Shop) -> None:
    # given
    schedule = tenancy_selectors.schedule_for(shop=demo)
    conversations = Conversation.objects.for_shop(demo).prefetch_related("messages")

    for conversation in conversations:
        thread = [m for m in conversation.messages.all() if m.direction != Direction.NOTE]
        # then the customer starts, moments only go forward, replies thread by Message-ID
        assert thread[0].direction == Direction.INBOUND
        moments = [m.created_at for m in conversation.messages.all()]
        assert moments == sorted(moments)
        assert conversation.created_at == moments[0]
        assert conversation.last_message_at == thread[-1].created_at
        for earlier, later in itertools.pairwise(thread):
            assert later.in_reply_to == earlier.external_id
        answers = [m for m in thread if m.direction == Direction.OUTBOUND]
        assert conversation.first_responded_at == (answers[0].created_at if answers else None)
        for answer in answers:
            # agents answer in opening hours (a reply may land on closing time itself)
            assert schedule.is_open(answer.created_at - dt.timedelta(minutes=1)), answer.created_at
            assert answer.delivery_status == DeliveryStatus.SENT
            assert answer.author is not None
            assert answer.author.display_name in answer.text
        # an open conversation waits for the agent, a pending one for the customer
        if conversation.status == ConversationStatus.OPEN:
            assert thread[-1].direction == Direction.INBOUND
        if conversation.status in (ConversationStatus.PENDING, ConversationStatus.SNOOZED):
            assert thread[-1].direction == Direction.OUTBOUND
        if conversation.status == ConversationStatus.SNOOZED:
            assert conversation.snoozed_until is not None
            assert conversation.snoozed_until > NOW
        if conversation.status in (ConversationStatus.RESOLVED, ConversationStatus.CLOSED):
            assert conversation.resolved_at is not None
            assert conversation.resolved_at >= conversation.last_message_at
        else:
            assert conversation.csat_score is None
        assert "{" not in "".join(m.text for m in thread), conversation.subject


def test_quoted_answers_fold_away_and_orders_are_the_customers_own(demo: Shop) -> None:
    # given
    quoting = Message.objects.for_shop(demo).filter(
        direction=Direction.INBOUND, text__contains="schreef Kookwinkel De Pollepel"
    )

    # then a follow-up shows the customer's words and folds the quoted answer
    assert quoting.count() >= 100
    for message in quoting[:50]:
        new, folded = message.text_parts
        assert "schreef Kookwinkel De Pollepel" in folded
        assert "schreef" not in new
    # and an order number in a question is an order of that customer
    checked = 0
    for message in Message.objects.for_shop(demo).filter(
        direction=Direction.INBOUND, text__contains="DP2"
    )[:100]:
        number = "DP" + message.text.split("DP", 1)[1][:5]
        assert message.conversation.customer.orders.filter(number=number).exists(), number
        checked += 1
    assert checked == 100


def test_the_trail_sla_csat_and_mentions_are_there(demo: Shop) -> None:
    # given
    conversations = Conversation.objects.for_shop(demo)

    # then every conversation has its trail from the start
    assert not conversations.exclude(events__kind=EventKind.CREATED).exists()
    received = Count("events", filter=Q(events__kind=EventKind.MESSAGE_RECEIVED), distinct=True)
    inbound = Count("messages", filter=Q(messages__direction=Direction.INBOUND), distinct=True)
    for row in conversations.annotate(r=received).annotate(i=inbound).values("r", "i")[:100]:
        assert row["r"] == row["i"]
    # SLA clocks run on the active conversations; a few are past due, as in real life
    active = conversations.filter(status__in=ACTIVE_STATUSES)
    assert not active.filter(sla_first_response_state="").exists()
    assert active.filter(sla_first_response_state="breached").exists()
    assert selectors.conversation_list(shop=demo, sla="breached").exists()
    # resolved conversations were rated, mostly well, some with a comment
    rated = conversations.exclude(csat_score=None)
    assert 120 <= rated.count() <= 300
    scores = Counter(rated.values_list("csat_score", flat=True))
    assert scores[5] > scores[1]
    assert set(scores) == {1, 2, 3, 4, 5}
    assert rated.exclude(csat_comment="").exists()
    # notes name the agent on the conversation, who got a notification
    notes = Message.objects.for_shop(demo).filter(direction=Direction.NOTE)
    assert notes.count() >= 20
    for note in notes.select_related("conversation__assignee__user")[:20]:
        assignee = note.conversation.assignee
        if assignee is not None:
            assert f"@{assignee.user.email.split('@')[0]}" in note.text
            assert list(note.mentions.all()) == [assignee]
    assert Notification.objects.for_shop(demo).filter(kind="mention", read_at=None).exists()


def test_search_finds_demo_conversations(demo: Shop) -> None:
    # when
    parcels = selectors.conversation_list(shop=demo, q="pakket")
    accented = selectors.conversation_list(shop=demo, q="antiaanbaklaag")

    # then
    assert parcels.count() >= 20
    assert accented.exists()
    assert all(c.topic == "garantie" for c in accented)


def test_an_agent_can_answer_a_demo_conversation_and_it_is_sent(
    demo: Shop, settings: Settings
) -> None:
    # given a demo agent and an open question; the demo mailbox sends through the
    # installation's mailer (the console outside production; locmem in tests)
    settings.BALIE_MAILBOXES_USE_INSTALLATION_MAIL = True
    conversation = Conversation.objects.for_shop(demo).filter(status="open").first()
    assert conversation is not None
    agent = Membership.objects.for_shop(demo).select_related("user").first()
    assert agent is not None

    # when
    message = services.reply_send(
        shop=demo, conversation=conversation, author=agent, text="Hoi! Ik kijk het voor je na."
    )
    outcome = services.message_deliver(shop=demo, message_id=message.pk, attempt=0)

    # then
    assert outcome == "sent"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [conversation.customer.email]
    sent = mail.outbox[0].message()
    assert f"[#{conversation.reference}]" in str(sent["Subject"])
    last_inbound = conversation.messages.filter(direction=Direction.INBOUND).last()
    assert last_inbound is not None
    assert sent["In-Reply-To"] == f"<{last_inbound.external_id}>"


def test_the_same_moment_gives_the_same_inbox(settings: Settings, tmp_path: Path) -> None:
    # given
    settings.VAR_DIR = tmp_path
    settings.PRODUCTION = False

    def inbox() -> list[tuple[str, str, str, str]]:
        return list(
            Conversation.objects.order_by("created_at", "subject").values_list(
                "reference", "subject", "status", "customer__email"
            )
        )

    # when
    seeding.demo_seed(now=NOW, password="x")
    first = inbox()
    seeding.demo_seed(now=NOW, password="x")

    # then
    assert inbox() == first
    assert timezone.now() > NOW


def test_customers_are_known_from_before_their_first_order_or_question(demo: Shop) -> None:
    # given
    customers = Customer.objects.for_shop(demo).annotate(
        first_order=Min("orders__placed_at"), first_question=Min("conversations__created_at")
    )

    # then
    assert customers.filter(created_at__lt=NOW - dt.timedelta(days=30)).count() > 100
    for customer in customers:
        assert customer.created_at < NOW
        for first in (customer.first_order, customer.first_question):
            if first is not None:
                assert customer.created_at <= first, customer.pk
