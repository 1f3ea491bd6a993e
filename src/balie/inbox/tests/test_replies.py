"""Agents' replies: validation, the outbound message, and delivery over a real SMTP server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from balie.channels import errors as channel_errors
from balie.channels.email.tests.smtp_server import SmtpServer, free_port
from balie.channels.models import Mailbox, SmtpSecurity
from balie.inbox import errors, services
from balie.inbox.models import (
    Conversation,
    DeliveryStatus,
    Direction,
    EventKind,
    Message,
)
from balie.inbox.services import outbound
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import BusinessHours, Membership, Shop

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., object]


@pytest.fixture
def conversation(shop: Shop) -> Conversation:
    """A conversation started by the customer's email to the shop's mailbox."""
    received = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            external_id="<vraag-1@example.nl>",
            references=("eerder@example.nl",),
            account="service@pollepel.nl",
        ),
        history=True,
    )
    return received.conversation


def send(shop: Shop, conversation: Conversation, agent: Membership, **fields: object) -> Message:
    values: dict[str, object] = {"text": "Hoi Anouk,\n\nJe pakket is onderweg.\n\nGroet, Sanne"}
    values.update(fields)
    return services.reply_send(
        shop=shop,
        conversation=conversation,
        author=agent,
        **values,  # type: ignore[arg-type]
    )


def test_a_reply_is_stored_queued_and_delivered_with_threading_headers(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = send(shop, conversation, agent)

    # then it is stored as the agent's queued message from the shop's address
    assert (message.direction, message.delivery_status) == (Direction.OUTBOUND, "queued")
    assert (message.author, message.channel) == (agent, "email")
    assert message.sender_address == "service@pollepel.nl"
    assert message.sender_name == "Klantenservice De Pollepel"
    assert message.recipients == ["anouk@example.nl"]
    assert message.in_reply_to == "vraag-1@example.nl"
    assert message.subject == f"Re: Waar blijft mijn bestelling? [#{conversation.reference}]"
    conversation.refresh_from_db()
    assert conversation.first_responded_at is not None
    assert conversation.events.filter(kind=EventKind.MESSAGE_SENT, actor=agent).count() == 1

    # when the worker runs
    assert run_tasks() == 1

    # then it went out once, with our Message-ID, and is marked sent
    [received] = smtp_server.received
    email = received.message
    assert received.rcpt_tos == ("anouk@example.nl",)
    assert received.mail_from == "service@pollepel.nl"
    assert email["Message-ID"] == f"<{message.external_id}>"
    assert email["In-Reply-To"] == "<vraag-1@example.nl>"
    assert email["References"] == "<eerder@example.nl> <vraag-1@example.nl>"
    assert email["Subject"] == message.subject
    assert email["From"] == "Klantenservice De Pollepel <service@pollepel.nl>"
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT
    assert message.sent_at is not None
    assert message.delivery_attempts == 1


def test_a_second_reply_keeps_the_first_response_time(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    # given
    first_at = timezone.now() - dt.timedelta(hours=1)
    send(shop, conversation, agent, now=first_at)

    # when
    send(shop, conversation, agent, text="Nog iets")

    # then
    conversation.refresh_from_db()
    assert conversation.first_responded_at == first_at


def test_without_a_mailbox_that_can_send_nothing_is_stored(
    shop: Shop, agent: Membership, conversation: Conversation, settings: Settings
) -> None:
    # given a mailbox without SMTP server, on an installation that lends none
    settings.BALIE_MAILBOXES_USE_INSTALLATION_MAIL = False
    Mailbox.objects.create(
        shop=shop,
        name="Alleen lezen",
        email_address="service@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="x",
    )

    # when
    with pytest.raises(channel_errors.ChannelNotConfigured) as raised:
        send(shop, conversation, agent)

    # then
    assert raised.value.code == "channel_not_configured"
    assert "SMTP-server" in raised.value.message
    assert not Message.objects.for_shop(shop).filter(direction=Direction.OUTBOUND).exists()
    conversation.refresh_from_db()
    assert conversation.first_responded_at is None


def test_a_mailbox_without_smtp_sends_through_the_installations_mail_server(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    settings: Settings,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given: a send-only mailbox of the shop, no SMTP server of its own (the demo's case)
    settings.BALIE_MAILBOXES_USE_INSTALLATION_MAIL = True
    Mailbox.objects.create(
        shop=shop, name="Service", email_address="service@pollepel.nl", sender_name="De Pollepel"
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = send(shop, conversation, agent, text="We sturen een nieuwe.")
    run_tasks()

    # then: handed to Django's mailer (the test backend keeps it), our headers intact
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.SENT
    [sent] = [m for m in mail.outbox if "We sturen een nieuwe." in m.message().as_string()]
    built = sent.message()
    assert built["Message-ID"] == f"<{message.external_id}>"
    assert "De Pollepel" in built["From"]
    assert sent.recipients() == [conversation.customer.email]


def test_the_reply_leaves_from_the_mailbox_the_customer_wrote_to(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    # given another mailbox that sorts first
    Mailbox.objects.create(
        shop=shop,
        name="Aaa verkoop",
        email_address="verkoop@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="x",
        smtp_host="127.0.0.1",
    )

    # when
    message = send(shop, conversation, agent)

    # then
    assert message.sender_address == "service@pollepel.nl"
    assert message.external_id.endswith("@pollepel.nl")


def test_an_empty_reply_is_refused(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    with pytest.raises(errors.ReplyEmpty):
        send(shop, conversation, agent, text="  \n ")


def test_a_30_mb_attachment_is_refused_with_a_clear_message(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    # given
    huge = SimpleUploadedFile("filmpje.mp4", b"\0" * (30 * 1024 * 1024), "video/mp4")

    # when
    with pytest.raises(errors.AttachmentRefused) as raised:
        send(shop, conversation, agent, attachments=[huge])

    # then
    assert (
        raised.value.message
        == "filmpje.mp4 is te groot om te versturen: te groot: 30 MB (max. 25 MB)."
    )
    assert not Message.objects.for_shop(shop).filter(direction=Direction.OUTBOUND).exists()


def test_files_together_over_the_limit_are_refused(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    # given
    files = [SimpleUploadedFile(f"deel-{n}.bin", b"\1" * (9 * 1024 * 1024)) for n in range(3)]

    # when / then
    with pytest.raises(errors.AttachmentRefused, match="samen te groot"):
        send(shop, conversation, agent, attachments=files)


def test_attachments_are_sniffed_stored_and_sent(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given a PDF that claims to be a picture, with a path in its name
    pdf = SimpleUploadedFile("../../retour\u202elabel.pdf", b"%PDF-1.7 retourlabel", "image/png")

    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = send(shop, conversation, agent, text="", attachments=[pdf])
    run_tasks()

    # then
    [attachment] = message.attachments.all()
    assert (attachment.filename, attachment.content_type) == ("retourlabel.pdf", "application/pdf")
    [part] = smtp_server.received[0].message.iter_attachments()
    assert part.get_filename() == "retourlabel.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == b"%PDF-1.7 retourlabel"


def test_a_recipient_the_server_refuses_fails_with_the_reason_and_tells_the_agent(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    smtp_server.refuse_recipient("anouk@example.nl")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = send(shop, conversation, agent)

    # when
    with django_capture_on_commit_callbacks(execute=False) as published:  # type: ignore[operator]
        run_tasks()

    # then it is not retried: a 5xx never gets better
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.FAILED
    assert "anouk@example.nl refused: 550" in message.delivery_error
    assert message.delivery_attempts == 1
    event = conversation.events.get(kind=EventKind.DELIVERY_FAILED)
    assert event.data["message_id"] == message.pk
    assert "User unknown" in event.data["reason"]
    assert len(published) == 1  # the live update to the agents
    assert not DBTaskResult.objects.ready().exists()


def test_while_smtp_is_down_it_retries_with_backoff_then_fails(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given a server that refuses connections
    Mailbox.objects.filter(pk=smtp_mailbox.pk).update(smtp_port=free_port())
    message = send(shop, conversation, agent)
    now = timezone.now()

    # when every attempt fails
    outcomes = []
    for attempt in range(outbound.MAX_ATTEMPTS):
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            outcomes.append(
                services.message_deliver(shop=shop, message_id=message.pk, attempt=attempt, now=now)
            )

    # then it waited longer each time, and gave up with the reason
    assert outcomes == ["retry", "retry", "retry", "retry", "failed"]
    delays = [
        result.run_after - result.enqueued_at
        for result in DBTaskResult.objects.filter(task_path__endswith="message_deliver").order_by(
            "enqueued_at"
        )
    ]
    assert [round(delay.total_seconds() / 60) for delay in delays] == [1, 5, 30, 120]
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.FAILED
    assert message.delivery_attempts == outbound.MAX_ATTEMPTS
    assert message.delivery_error.startswith("not sent after 5 attempts; last error: no connection")
    assert conversation.events.filter(kind=EventKind.DELIVERY_FAILED).count() == 1


def test_a_temporary_failure_keeps_the_message_queued_and_the_next_attempt_sends_it(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
) -> None:
    # given
    message = send(shop, conversation, agent)
    smtp_server.answer_rcpt("451 4.3.0 Probeer het later")

    # when
    first = services.message_deliver(shop=shop, message_id=message.pk, attempt=0)
    message.refresh_from_db()
    queued_error = message.delivery_error
    smtp_server.reset()
    second = services.message_deliver(shop=shop, message_id=message.pk, attempt=1)

    # then
    assert (first, second) == ("retry", "sent")
    assert "451" in queued_error
    message.refresh_from_db()
    assert (message.delivery_status, message.delivery_error) == (DeliveryStatus.SENT, "")
    assert len(smtp_server.received) == 1


def test_a_message_is_never_sent_twice_when_its_task_runs_twice(
    shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
) -> None:
    # given
    message = send(shop, conversation, agent)

    # when two workers pick up the same attempt, one after the other or at once
    first = services.message_deliver(shop=shop, message_id=message.pk, attempt=0)
    second = services.message_deliver(shop=shop, message_id=message.pk, attempt=0)
    later = services.message_deliver(shop=shop, message_id=message.pk, attempt=1)

    # then
    assert (first, second, later) == ("sent", "skipped", "skipped")
    assert len(smtp_server.received) == 1


def test_another_shop_cannot_deliver_or_reply_to_this_shops_messages(
    shop: Shop,
    other_shop: Shop,
    agent: Membership,
    conversation: Conversation,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
) -> None:
    # given
    message = send(shop, conversation, agent)

    # when / then
    assert services.message_deliver(shop=other_shop, message_id=message.pk, attempt=0) == "skipped"
    assert smtp_server.received == []
    with pytest.raises(ValueError, match="must belong to the shop"):
        services.reply_send(shop=other_shop, conversation=conversation, author=agent, text="x")


def test_a_lost_delivery_task_is_queued_again(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    # given a message whose worker died after claiming it
    message = send(shop, conversation, agent)
    long_ago = timezone.now() - outbound.STALLED_AFTER - dt.timedelta(minutes=1)
    Message.objects.filter(pk=message.pk).update(delivery_attempts=1, updated_at=long_ago)

    # when
    resumed = services.deliveries_resume()

    # then
    assert resumed == 1
    task = DBTaskResult.objects.filter(task_path__endswith="message_deliver").get()
    assert task.args_kwargs["kwargs"] == {
        "shop_id": shop.pk,
        "message_id": message.pk,
        "attempt": 1,
    }


def test_a_customer_without_an_email_address_cannot_get_a_reply(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given a conversation whose sender address was unreadable
    conversation = services.message_receive(
        shop=shop, inbound=inbound_email(sender_address=""), history=True
    ).conversation

    # when / then
    with pytest.raises(channel_errors.RecipientMissing):
        send(shop, conversation, agent)


def test_the_smtp_server_of_the_mailbox_is_used_with_its_security(
    shop: Shop, agent: Membership, conversation: Conversation, smtp_mailbox: Mailbox
) -> None:
    # given a mailbox that demands STARTTLS from a server that does not offer it
    Mailbox.objects.filter(pk=smtp_mailbox.pk).update(smtp_security=SmtpSecurity.STARTTLS)
    message = send(shop, conversation, agent)

    # when
    outcome = services.message_deliver(shop=shop, message_id=message.pk, attempt=0)

    # then it does not fall back to sending in plain text
    assert outcome == "retry"
    message.refresh_from_db()
    assert "STARTTLS" in message.delivery_error


def test_a_channel_balie_cannot_send_on_yet_says_so(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given a conversation that came in by WhatsApp
    conversation = services.message_receive(
        shop=shop,
        inbound=inbound_email(channel="whatsapp", sender_address="+31612345678"),
        history=True,
    ).conversation

    # when / then
    with pytest.raises(channel_errors.ChannelNotConfigured, match="WhatsApp"):
        send(shop, conversation, agent)


def test_the_first_reply_stops_the_first_response_clock(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox, conversation: Conversation
) -> None:
    # given: a shop open around the clock with a one-hour first-response target
    for weekday in range(7):
        BusinessHours.objects.create(
            shop=shop, weekday=weekday, opens_at=dt.time(0), closes_at=dt.time(23, 59)
        )
    services.sla_policy_create(
        shop=shop, name="Standaard", first_response_minutes=60, resolution_minutes=600
    )
    services.conversation_sla_refresh(conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.sla_first_response_state == "running"

    # when
    send(shop, conversation, agent, text="We kijken ernaar.")

    # then
    conversation.refresh_from_db()
    assert conversation.sla_first_response_state == "met"
    assert conversation.sla_resolution_state == "running"
