"""End to end: a customer's email, our reply over SMTP, and the customer's answer to that reply
landing in the same conversation, by header, by the [#REF] in the subject, or by neither."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from pytest_django import Settings

from balie.channels.email import services as email_services
from balie.channels.email.parser import parse_email
from balie.channels.email.tests.dovecot import DovecotServer
from balie.channels.email.tests.raw_mail import raw_mail
from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox
from balie.inbox import services
from balie.inbox.models import Conversation, EventKind, Message
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db

QUESTION = raw_mail(
    "From: Anna de Vries <anna@voorbeeld.nl>",
    "To: Klantenservice <service@pollepel.nl>",
    "Subject: Waar is mijn bestelling?",
    "Date: Tue, 04 Mar 2025 10:15:00 +0100",
    "Message-ID: <bestelling-123@voorbeeld.nl>",
    body="Hallo,\n\nIk wacht al een week op bestelling NL100123.\n\nAnna\n",
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def receive(mailbox: Mailbox, raw: bytes) -> Message:
    inbound = email_services.as_received(
        parse_email(raw), account=mailbox.email_address, own_addresses=frozenset()
    )
    return services.message_receive(shop=mailbox.shop, inbound=inbound).message


def replied(
    mailbox: Mailbox, agent: Membership, smtp_server: SmtpServer
) -> tuple[Conversation, EmailMessage]:
    """The customer's question received, answered by the agent, and what went out."""
    question = receive(mailbox, QUESTION)
    reply = services.reply_send(
        shop=mailbox.shop,
        conversation=question.conversation,
        author=agent,
        text="Hoi Anna,\n\nJe pakket is vandaag verstuurd.\n\nGroet, Sanne",
    )
    assert services.message_deliver(shop=mailbox.shop, message_id=reply.pk, attempt=0) == "sent"
    [sent] = smtp_server.received
    return question.conversation, sent.message


def customers_answer(sent: EmailMessage, *, threading: str) -> bytes:
    """What the customer's mail program makes of "Reply" on our email."""
    answer = EmailMessage()
    answer["From"] = "Anna de Vries <anna@voorbeeld.nl>"
    answer["To"] = str(sent["From"])
    answer["Message-ID"] = f"<antwoord-{threading}@voorbeeld.nl>"
    answer["Date"] = "Wed, 05 Mar 2025 09:00:00 +0100"
    if threading == "headers":
        answer["Subject"] = f"Re: {sent['Subject']}"
        answer["In-Reply-To"] = str(sent["Message-ID"])
        answer["References"] = f"{sent['References']} {sent['Message-ID']}"
    elif threading == "reference":
        answer["Subject"] = f"AW: {sent['Subject']}"  # a webmail that drops the headers
    else:
        answer["Subject"] = "Nog een vraag over mijn pakket"
    body = sent.get_body(preferencelist=("plain",))
    assert body is not None
    quoted = "\n".join(f"> {line}" for line in str(body.get_content()).splitlines())
    answer.set_content(
        f"Dank je! Komt het morgen?\n\nOp di 4 mrt. 2025 om 10:20 schreef De Pollepel <service@pollepel.nl>:\n{quoted}\n"
    )
    return answer.as_bytes()


@pytest.mark.parametrize(
    ("threading", "threaded_by"),
    [("headers", "message_id"), ("reference", "reference"), ("neither", "window")],
)
def test_the_customers_answer_to_our_reply_lands_in_the_same_conversation(
    smtp_mailbox: Mailbox,
    agent: Membership,
    smtp_server: SmtpServer,
    threading: str,
    threaded_by: str,
) -> None:
    # given our reply as the customer received it
    conversation, sent = replied(smtp_mailbox, agent, smtp_server)
    assert f"[#{conversation.reference}]" in sent["Subject"]

    # when the customer answers it
    answer = receive(smtp_mailbox, customers_answer(sent, threading=threading))

    # then
    assert answer.conversation_id == conversation.pk
    assert Conversation.objects.for_shop(smtp_mailbox.shop).count() == 1
    event = conversation.events.get(kind=EventKind.MESSAGE_RECEIVED, data__message_id=answer.pk)
    assert event.data["threaded_by"] == threaded_by
    # and what the customer quoted of our reply folds away for the agent
    assert answer.text_parts[0] == "Dank je! Komt het morgen?"


def test_our_reply_is_read_back_by_our_own_parser(
    smtp_mailbox: Mailbox, agent: Membership, smtp_server: SmtpServer
) -> None:
    # given
    conversation, sent = replied(smtp_mailbox, agent, smtp_server)

    # when
    inbound = parse_email(sent.as_bytes())

    # then
    stored = Message.objects.for_shop(smtp_mailbox.shop).get(direction="out")
    assert inbound.external_id == stored.external_id
    assert inbound.in_reply_to == "bestelling-123@voorbeeld.nl"
    assert inbound.subject == f"Re: Waar is mijn bestelling? [#{conversation.reference}]"
    assert "Je pakket is vandaag verstuurd." in inbound.text
    assert "Ik wacht al een week op bestelling NL100123." in inbound.text  # the quote


def test_the_customers_answer_polled_from_imap_threads_into_the_conversation(
    shop: Shop, agent: Membership, smtp_server: SmtpServer, dovecot: DovecotServer
) -> None:
    # given a mailbox read from the real dovecot and sending through the SMTP server
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address="service@pollepel.nl",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_username=dovecot.username,
        imap_password=dovecot.password,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_security="none",
    )
    dovecot.append(QUESTION)
    assert email_services.mailbox_poll(mailbox=mailbox).received == 1
    conversation = Conversation.objects.for_shop(shop).get()
    reply = services.reply_send(shop=shop, conversation=conversation, author=agent, text="Hoi!")
    services.message_deliver(shop=shop, message_id=reply.pk, attempt=0)
    sent = BytesParser(policy=policy.default).parsebytes(smtp_server.received[0].data)
    assert isinstance(sent, EmailMessage)

    # when the customer's answer arrives in the mailbox, and a copy of our own reply too
    dovecot.append(customers_answer(sent, threading="headers"))
    dovecot.append(smtp_server.received[0].data)
    result = email_services.mailbox_poll(mailbox=mailbox)

    # then the answer threads, and our own copy is recognised, not stored twice
    assert (result.received, result.duplicates, result.rejected) == (1, 1, 0)
    assert Conversation.objects.for_shop(shop).count() == 1
    assert conversation.messages.count() == 3
    assert conversation.messages.filter(direction="out").get().pk == reply.pk
