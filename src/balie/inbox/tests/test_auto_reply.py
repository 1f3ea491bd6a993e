"""The acknowledgement of a new question, and the loop guard that keeps robots from talking to
each other forever."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from balie.channels.email.parser import parse_email
from balie.channels.email.tests.smtp_server import Received, SmtpServer
from balie.channels.models import Mailbox
from balie.inbox import outbound, services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import Conversation, Direction, EventKind, InboxSettings, Message
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import ContactOptionFactory, office_hours

pytestmark = pytest.mark.django_db

# A Friday at 16:00 in Amsterdam: an hour of opening time left this week.
FRIDAY_AFTERNOON = dt.datetime(2026, 3, 6, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def deliver(
    run_tasks: Callable[[], int], django_capture_on_commit_callbacks: Any
) -> Callable[[], int]:
    """Runs queued tasks, and the tasks they queue after their commits, until none is left."""

    def drain() -> int:
        total = 0
        for _round in range(20):
            with django_capture_on_commit_callbacks(execute=True):
                ran = run_tasks()
            total += ran
            if not ran:
                return total
        raise AssertionError("tasks keep queueing tasks")

    return drain


@pytest.fixture
def receive(shop: Shop, django_capture_on_commit_callbacks: Any) -> Callable[..., Message]:
    def received(inbound: InboundMessage, *, history: bool = False) -> Message:
        with django_capture_on_commit_callbacks(execute=True):
            return services.message_receive(shop=shop, inbound=inbound, history=history).message

    return received


def acknowledgements(shop: Shop) -> list[Message]:
    return list(
        Message.objects.for_shop(shop).filter(
            direction=Direction.OUTBOUND, automated_reason=outbound.AUTO_REPLY
        )
    )


def test_a_new_question_gets_one_acknowledgement_that_says_it_is_automatic(
    shop: Shop,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    receive: Callable[..., Message],
    deliver: Callable[[], int],
) -> None:
    # given
    question = receive(inbound_email(external_id="<vraag@example.nl>", sender_name="Anouk"))

    # when
    deliver()

    # then one automated message went out, threaded, marked as an auto-reply
    [acknowledgement] = acknowledgements(shop)
    assert acknowledgement.is_automated
    assert acknowledgement.author is None
    [received] = smtp_server.received
    email = received.message
    assert email["Auto-Submitted"] == "auto-replied"
    assert email["X-Auto-Response-Suppress"] == "All"
    assert email["In-Reply-To"] == "<vraag@example.nl>"
    reference = question.conversation.reference
    assert email["Subject"] == f"Re: Waar blijft mijn bestelling? [#{reference}]"
    assert email.get_body(preferencelist=("html",)) is not None
    events = question.conversation.events.filter(kind=EventKind.AUTO_REPLY_SENT)
    assert [event.data["message_id"] for event in events] == [acknowledgement.pk]
    # an acknowledgement is not an answer
    question.conversation.refresh_from_db()
    assert question.conversation.first_responded_at is None


def test_the_acknowledgement_says_when_to_expect_an_answer_in_business_hours(
    shop: Shop, smtp_mailbox: Mailbox
) -> None:
    # given opening hours on weekdays 9–17 and an answer within 4 working hours by email
    office_hours(shop)
    ContactOptionFactory(shop=shop, channel="email", response_minutes=240)
    question = services.message_receive(
        shop=shop, inbound=inbound_email(sender_name="Anouk de Vries")
    ).message

    # when the question comes in on Friday at 16:00
    outcome = services.auto_reply_send(shop=shop, message_id=question.pk, now=FRIDAY_AFTERNOON)

    # then
    assert outcome == "sent"
    [acknowledgement] = acknowledgements(shop)
    assert acknowledgement.text.startswith("Hoi Anouk,\n\nBedankt voor je bericht!")
    assert "Je krijgt maandag vóór 12:00 antwoord." in acknowledgement.text
    assert question.conversation.reference in acknowledgement.text


def test_a_shop_can_write_its_own_acknowledgement_with_placeholders(
    shop: Shop, smtp_mailbox: Mailbox
) -> None:
    # given
    InboxSettings.objects.create(
        shop=shop,
        auto_reply_text="Dag {{ customer.first_name }}! {{ response_time }} {{ onbekend }}",
    )
    question = services.message_receive(shop=shop, inbound=inbound_email()).message

    # when
    services.auto_reply_send(shop=shop, message_id=question.pk)

    # then
    [acknowledgement] = acknowledgements(shop)
    assert acknowledgement.text == "Dag Anouk! We reageren zo snel mogelijk. {{ onbekend }}"


@pytest.mark.parametrize(
    "fields",
    [
        {"is_automated": True, "automated_reason": "automatisch antwoord (X-Autoreply)"},
        {"sender_address": "info@example.nl", "history": True},
    ],
    ids=["automated mail", "an import"],
)
def test_no_acknowledgement_is_even_queued_for_automated_mail_or_an_import(
    shop: Shop, smtp_mailbox: Mailbox, receive: Callable[..., Message], fields: dict[str, Any]
) -> None:
    # when
    history = fields.pop("history", False)
    receive(inbound_email(**fields), history=history)

    # then
    assert not DBTaskResult.objects.filter(task_path__endswith="auto_reply_send").exists()


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("noreply@webwinkelkeur.nl", "skipped: automated sender"),
        ("MAILER-DAEMON@mail.example.nl", "skipped: automated sender"),
        ("service@pollepel.nl", "skipped: own address"),
    ],
)
def test_no_acknowledgement_to_robots_or_to_the_shop_itself(
    shop: Shop, smtp_mailbox: Mailbox, sender: str, expected: str
) -> None:
    # given a message the parser did not flag (the guard does not rely on it alone)
    question = services.message_receive(
        shop=shop, inbound=inbound_email(sender_address=sender.lower())
    ).message

    # when
    outcome = services.auto_reply_send(shop=shop, message_id=question.pk)

    # then
    assert outcome == expected
    assert acknowledgements(shop) == []


def test_a_customer_gets_at_most_one_acknowledgement_a_day(
    shop: Shop, smtp_mailbox: Mailbox
) -> None:
    # given an acknowledged question, resolved, then a new one from the same customer
    first = services.message_receive(shop=shop, inbound=inbound_email(subject="Eerste")).message
    assert services.auto_reply_send(shop=shop, message_id=first.pk) == "sent"
    Conversation.objects.filter(pk=first.conversation_id).update(status="resolved")
    second = services.message_receive(shop=shop, inbound=inbound_email(subject="Tweede")).message
    assert second.conversation_id != first.conversation_id

    # when
    outcome = services.auto_reply_send(shop=shop, message_id=second.pk)
    tomorrow = services.auto_reply_send(
        shop=shop, message_id=second.pk, now=first.created_at + dt.timedelta(hours=25)
    )

    # then
    assert outcome == "skipped: customer acknowledged within 24 hours"
    assert tomorrow == "sent"


def test_acknowledging_twice_sends_once(shop: Shop, smtp_mailbox: Mailbox) -> None:
    # given
    question = services.message_receive(shop=shop, inbound=inbound_email()).message

    # when the task runs twice
    outcomes = [services.auto_reply_send(shop=shop, message_id=question.pk) for _ in range(2)]

    # then
    assert outcomes == ["sent", "skipped: conversation acknowledged"]


def test_no_acknowledgement_when_an_agent_was_quicker_or_the_shop_turned_it_off(
    shop: Shop, other_shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given
    answered = services.message_receive(shop=shop, inbound=inbound_email()).message
    services.reply_send(shop=shop, conversation=answered.conversation, author=agent, text="Hoi!")
    InboxSettings.objects.create(shop=other_shop, auto_reply_enabled=False)
    elsewhere = services.message_receive(shop=other_shop, inbound=inbound_email()).message

    # when / then
    assert (
        services.auto_reply_send(shop=shop, message_id=answered.pk) == "skipped: already answered"
    )
    assert services.auto_reply_send(shop=other_shop, message_id=elsewhere.pk) == (
        "skipped: turned off"
    )


def test_without_a_mailbox_that_can_send_there_is_no_acknowledgement_and_no_error(
    shop: Shop,
) -> None:
    # given
    question = services.message_receive(shop=shop, inbound=inbound_email()).message

    # when / then
    assert services.auto_reply_send(shop=shop, message_id=question.pk) == (
        "skipped: channel_not_configured"
    )


class Peer:
    """An auto-responder at the customer's side. A well-behaved one follows RFC 3834 (no
    answer to anything automatic, and says its own answers are automatic); a badly behaved
    one answers everything with a fresh subject, without any header that gives it away."""

    def __init__(self, *, well_behaved: bool) -> None:
        self.well_behaved = well_behaved
        self.counter = itertools.count(1)
        self.sent = 0

    def first_mail(self) -> InboundMessage:
        return inbound_email(
            external_id="<start@robot.example.nl>", sender_address="robot@robot.example.nl"
        )

    def respond(self, received: Received) -> bytes | None:
        incoming = received.message
        if self.well_behaved and incoming.get("Auto-Submitted", "no").lower() != "no":
            return None
        self.sent += 1
        answer = EmailMessage()
        answer["From"] = "Robot <robot@robot.example.nl>"
        answer["To"] = str(incoming["From"])
        answer["Message-ID"] = f"<robot-{next(self.counter)}@robot.example.nl>"
        if self.well_behaved:
            answer["Subject"] = f"Automatisch antwoord: {incoming['Subject']}"
            answer["Auto-Submitted"] = "auto-replied"
            answer["In-Reply-To"] = str(incoming["Message-ID"])
        else:
            answer["Subject"] = f"Bericht {self.sent}"  # no Re:, no token, no headers
        answer.set_content("Ik ben er niet. Ik antwoord op alles wat binnenkomt.")
        return answer.as_bytes()


@pytest.fixture(params=[True, False], ids=["rfc-3834 peer", "badly behaved peer"])
def peer(request: pytest.FixtureRequest) -> Peer:
    return Peer(well_behaved=request.param)


def test_two_auto_responders_never_ping_pong(
    shop: Shop,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    receive: Callable[..., Message],
    deliver: Callable[[], int],
    peer: Peer,
) -> None:
    # given threads never joined by time, so each robot mail starts a new conversation
    InboxSettings.objects.create(shop=shop, thread_window_hours=0)
    receive(peer.first_mail())

    # when the robots answer each other for as long as they like (at most 10 rounds)
    handled = 0
    for _round in range(10):
        deliver()
        new = smtp_server.received[handled:]
        handled += len(new)
        answers = [answer for answer in map(peer.respond, new) if answer is not None]
        if not answers:
            break
        for answer in answers:
            receive(parse_email(answer))

    # then we sent one message, whatever the other side did
    assert len(smtp_server.received) == 1
    assert len(acknowledgements(shop)) == 1
    assert peer.sent == (0 if peer.well_behaved else 1)
    # the robot's answer was a new conversation, stopped by the once-a-day rule
    assert Conversation.objects.for_shop(shop).count() == 1 + peer.sent
