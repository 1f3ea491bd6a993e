"""message_receive: dedupe, threading, customers, reopening, safe HTML, files, isolation."""

from __future__ import annotations

import datetime as dt
import html.parser
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from balie.customers.models import Customer, CustomerIdentity
from balie.customers.tests.factories import CustomerFactory
from balie.inbox import services
from balie.inbox.inbound import InboundAttachment
from balie.inbox.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    EventKind,
    Message,
)
from balie.inbox.services.intake import ATTACHMENT_MAX_BYTES
from balie.inbox.tests.factories import ConversationFactory, MessageFactory, inbound_email
from balie.tenancy.models import Shop
from balie.web.realtime import shop_group

XSS_DIR = Path(__file__).parent / "fixtures" / "xss"

pytestmark = pytest.mark.django_db


def test_the_same_message_delivered_twice_is_stored_once(shop: Shop) -> None:
    # given
    email = inbound_email(external_id="<dubbel@mail.example.nl>")
    first = services.message_receive(shop=shop, inbound=email)

    # when
    second = services.message_receive(shop=shop, inbound=email)

    # then
    assert first.created
    assert not second.created
    assert second.message == first.message
    assert second.conversation == first.conversation
    assert Message.objects.count() == 1
    assert ConversationEvent.objects.filter(kind=EventKind.MESSAGE_RECEIVED).count() == 1


def test_a_repeat_with_or_without_angle_brackets_is_the_same_message(shop: Shop) -> None:
    # given
    services.message_receive(shop=shop, inbound=inbound_email(external_id="<a1@x.nl>"))

    # when
    repeat = services.message_receive(shop=shop, inbound=inbound_email(external_id=" a1@x.nl "))

    # then
    assert not repeat.created
    assert Message.objects.get().external_id == "a1@x.nl"


def test_a_first_message_starts_a_conversation_with_a_new_customer(shop: Shop) -> None:
    # given
    email = inbound_email(sender_address="Anouk@Example.nl", subject="Re: Waar is mijn pakket?")

    # when
    result = services.message_receive(shop=shop, inbound=email)

    # then
    conversation = result.conversation
    assert result.conversation_created
    assert result.customer_created
    assert conversation.customer.email == "anouk@example.nl"
    assert conversation.customer.first_name == "Anouk"
    assert conversation.customer.last_name == "de Vries"
    assert conversation.status == ConversationStatus.OPEN
    assert conversation.channel == "email"
    assert conversation.subject == "Waar is mijn pakket?"
    assert len(conversation.reference) == 8
    assert [e.kind for e in conversation.events.all()] == [
        EventKind.CREATED,
        EventKind.MESSAGE_RECEIVED,
    ]


def test_a_known_sender_is_found_whatever_the_case_of_the_address(shop: Shop) -> None:
    # given
    customer = CustomerFactory(shop=shop, email="jeroen@example.nl")

    # when
    result = services.message_receive(
        shop=shop, inbound=inbound_email(sender_address="JEROEN@example.NL")
    )

    # then
    assert result.conversation.customer == customer
    assert not result.customer_created
    assert CustomerIdentity.objects.get(customer=customer).value == "jeroen@example.nl"


def test_a_reply_threads_by_in_reply_to(shop: Shop) -> None:
    # given
    first = services.message_receive(shop=shop, inbound=inbound_email(external_id="<m1@x.nl>"))
    services.message_receive(
        shop=shop, inbound=inbound_email(external_id="<m2@x.nl>", sender_address="ander@x.nl")
    )

    # when
    reply = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            external_id="<m3@x.nl>", sender_address="ander@x.nl", in_reply_to="<m1@x.nl>"
        ),
    )

    # then
    assert reply.conversation == first.conversation
    event = reply.conversation.events.get(data__message_id=reply.message.pk)
    assert event.data["threaded_by"] == "message_id"


def test_a_reply_threads_by_references_from_the_newest_back(shop: Shop) -> None:
    # given
    old = ConversationFactory(shop=shop)
    MessageFactory(conversation=old, external_id="oud@x.nl")
    recent = ConversationFactory(shop=shop)
    MessageFactory(conversation=recent, external_id="nieuw@x.nl")

    # when
    reply = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            sender_address="iemand@x.nl",
            references=("<onbekend@x.nl>", "<oud@x.nl>", "<nieuw@x.nl>", "<weg@x.nl>"),
        ),
    )

    # then
    assert reply.conversation == recent


def test_a_reply_threads_by_the_reference_in_the_subject(shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop, reference="K7M2QX9A", subject="Retour")

    # when
    reply = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            sender_address=conversation.customer.email, subject="RE: Retour [#k7m2qx9a]"
        ),
    )

    # then
    assert reply.conversation == conversation
    event = conversation.events.get(kind=EventKind.MESSAGE_RECEIVED)
    assert event.data["threaded_by"] == "reference"


def test_the_reference_threads_a_colleague_who_was_copied_in(shop: Shop) -> None:
    # given: the customer wrote with a colleague in copy
    first = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            sender_address="inkoop@bedrijf.nl", recipients=("service@x.nl", "Collega@bedrijf.nl")
        ),
    )

    # when
    reply = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            sender_address="collega@bedrijf.nl",
            subject=f"Re: {first.conversation.subject} [#{first.conversation.reference}]",
        ),
    )

    # then
    assert reply.conversation == first.conversation


def test_a_stranger_quoting_a_reference_gets_a_conversation_of_their_own(shop: Shop) -> None:
    # given: Zammad#5064, customer B's mail carrying customer A's reference
    theirs = ConversationFactory(shop=shop, reference="K7M2QX9A", subject="Retour")

    # when
    result = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            sender_address="iemand-anders@x.nl", subject="Re: Retour [#K7M2QX9A]"
        ),
    )

    # then
    assert result.conversation_created
    assert result.conversation.customer.email == "iemand-anders@x.nl"
    assert not theirs.messages.exists()


def test_a_new_subject_does_not_continue_a_closed_conversation(shop: Shop) -> None:
    # given: Chatwoot#15869, a customer answers an old thread about something new
    first = services.message_receive(
        shop=shop, inbound=inbound_email(external_id="<oud@x.nl>", subject="Levering")
    )
    services.conversation_set_status(
        shop=shop, conversation=first.conversation, status="closed", actor=None
    )

    # when
    new_topic = services.message_receive(
        shop=shop,
        inbound=inbound_email(in_reply_to="<oud@x.nl>", subject="Re: Kapotte pan bij nieuwe order"),
    )
    same_topic = services.message_receive(
        shop=shop, inbound=inbound_email(in_reply_to="<oud@x.nl>", subject="RE: levering")
    )

    # then
    assert new_topic.conversation_created
    assert new_topic.conversation.subject == "Kapotte pan bij nieuwe order"
    assert same_topic.conversation == first.conversation
    assert same_topic.reopened


def test_another_shops_reference_in_the_subject_is_ignored(shop: Shop, other_shop: Shop) -> None:
    # given
    theirs = ConversationFactory(shop=other_shop, reference="K7M2QX9A")

    # when
    result = services.message_receive(shop=shop, inbound=inbound_email(subject="Vraag [#K7M2QX9A]"))

    # then
    assert result.conversation_created
    assert result.conversation.shop == shop
    assert result.conversation.subject == "Vraag"
    assert not theirs.messages.exists()


def test_a_new_message_within_the_window_joins_the_customers_open_conversation(
    shop: Shop,
) -> None:
    # given
    now = timezone.now()
    first = services.message_receive(
        shop=shop, inbound=inbound_email(sent_at=now - dt.timedelta(hours=71))
    )

    # when
    second = services.message_receive(
        shop=shop, inbound=inbound_email(subject="Nog een vraag", sent_at=now)
    )

    # then
    assert second.conversation == first.conversation
    assert not second.conversation_created
    second.conversation.refresh_from_db()
    assert second.conversation.last_message_at == now


def test_a_message_after_the_window_starts_a_new_conversation(shop: Shop) -> None:
    # given
    now = timezone.now()
    first = services.message_receive(
        shop=shop, inbound=inbound_email(sent_at=now - dt.timedelta(hours=73))
    )

    # when
    second = services.message_receive(shop=shop, inbound=inbound_email(sent_at=now))

    # then
    assert second.conversation != first.conversation
    assert second.conversation_created


def test_the_window_is_the_shops_own_setting(shop: Shop) -> None:
    # given
    services.inbox_settings_update(shop=shop, thread_window_hours=1)
    now = timezone.now()
    first = services.message_receive(
        shop=shop, inbound=inbound_email(sent_at=now - dt.timedelta(hours=2))
    )

    # when
    second = services.message_receive(shop=shop, inbound=inbound_email(sent_at=now))

    # then
    assert second.conversation != first.conversation


def test_a_resolved_conversation_of_the_customer_is_not_joined_by_window(shop: Shop) -> None:
    # given
    first = services.message_receive(shop=shop, inbound=inbound_email())
    services.conversation_set_status(
        shop=shop, conversation=first.conversation, status="resolved", actor=None
    )

    # when
    second = services.message_receive(shop=shop, inbound=inbound_email())

    # then
    assert second.conversation != first.conversation


@pytest.mark.parametrize("status", ["resolved", "closed", "pending"])
def test_a_customers_reply_reopens_the_conversation(shop: Shop, status: str) -> None:
    # given
    first = services.message_receive(shop=shop, inbound=inbound_email(external_id="<r1@x.nl>"))
    services.conversation_set_status(
        shop=shop, conversation=first.conversation, status=status, actor=None
    )

    # when
    reply = services.message_receive(
        shop=shop, inbound=inbound_email(external_id="<r2@x.nl>", in_reply_to="<r1@x.nl>")
    )

    # then
    conversation = Conversation.objects.get(pk=first.conversation.pk)
    assert reply.reopened
    assert conversation.status == ConversationStatus.OPEN
    assert conversation.resolved_at is None
    reopen = conversation.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert reopen is not None
    assert reopen.data == {"old": status, "new": "open", "reason": "customer_replied"}


def test_an_auto_reply_does_not_reopen_a_resolved_conversation(shop: Shop) -> None:
    # given
    first = services.message_receive(shop=shop, inbound=inbound_email(external_id="<q1@x.nl>"))
    services.conversation_set_status(
        shop=shop, conversation=first.conversation, status="resolved", actor=None
    )

    # when
    auto = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            in_reply_to="<q1@x.nl>", is_automated=True, automated_reason="Auto-Submitted"
        ),
    )

    # then
    assert auto.conversation == first.conversation
    assert not auto.reopened
    assert Conversation.objects.get(pk=first.conversation.pk).status == "resolved"
    assert auto.message.is_automated


def test_html_is_sanitised_before_it_is_stored(shop: Shop) -> None:
    # given
    body = (
        '<p onclick="steal()">Hallo <b>daar</b></p><script>alert(1)</script>'
        "<style>p { background: url(https://t.example/s.gif) }</style>"
        '<a href="javascript:alert(1)">klik</a> <a href="https://winkel.nl/retour">retour</a>'
        '<img src="https://t.example/pixel.gif" width="1" height="1">'
        '<img src="https://cdn.example/logo.png" alt="Logo van de winkel">'
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="ingebed">'
        '<img src="cid:foto1@x.nl" alt="foto">'
    )

    # when
    result = services.message_receive(shop=shop, inbound=inbound_email(html=body))

    # then
    stored = result.message.html
    assert "<script" not in stored
    assert "alert" not in stored
    assert "onclick" not in stored
    assert "javascript:" not in stored
    assert "https://t.example" not in stored
    assert "https://cdn.example" not in stored
    assert "data:" not in stored
    assert "<b>daar</b>" in stored
    assert 'href="https://winkel.nl/retour"' in stored
    assert "Logo van de winkel" in stored  # a remote image becomes its alt text
    assert '<img src="cid:foto1@x.nl" alt="foto">' in stored


class _TagCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _xss_payloads() -> list[str]:
    return [
        line
        for name in ("IntrudersXSS.txt", "XSS_Polyglots.txt")
        for line in (XSS_DIR / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_no_xss_payload_survives_as_markup(shop: Shop) -> None:
    # given
    payloads = _xss_payloads()
    assert len(payloads) > 150

    # when
    stored = [
        services.message_receive(
            shop=shop, inbound=inbound_email(external_id=f"<xss{i}@x.nl>", html=payload)
        ).message.html
        for i, payload in enumerate(payloads)
    ]

    # then
    for payload, html_out in zip(payloads, stored, strict=True):
        assert "<script" not in html_out.lower(), payload
        parser = _TagCollector()
        parser.feed(html_out)
        for tag, attrs in parser.tags:
            assert tag not in {"script", "style", "iframe", "svg", "object", "embed"}, payload
            for name, value in attrs:
                assert not name.startswith("on"), payload
                assert "javascript:" not in (value or "").lower(), payload
                assert "data:" not in (value or "").lower(), payload
                if name == "src":
                    assert (value or "").startswith("cid:"), payload


def test_a_message_without_text_gets_its_text_from_the_html(shop: Shop) -> None:
    # when
    result = services.message_receive(
        shop=shop, inbound=inbound_email(text="", html="<p>Hallo &amp; dag</p><p>Groet</p>")
    )

    # then
    assert result.message.text == "Hallo & dag\nGroet"


def test_attachments_are_stored_under_random_names_with_their_sizes(shop: Shop) -> None:
    # given
    pdf = b"%PDF-1.7\n" + b"0" * 1000
    email = inbound_email(
        attachments=(
            InboundAttachment("../../etc/factuur 2026.pdf", "application/pdf", pdf),
            InboundAttachment("foto.jpg", "image/jpeg", b"\xff\xd8\xff" + b"1" * 10),
        )
    )

    # when
    result = services.message_receive(shop=shop, inbound=email)

    # then
    invoice, photo = result.message.attachments.order_by("id")
    assert invoice.filename == "factuur 2026.pdf"
    assert invoice.size == len(pdf)
    assert invoice.content_type == "application/pdf"
    assert invoice.file.name.startswith(f"inbox/attachments/{shop.pk}/")
    assert "factuur" not in invoice.file.name
    assert invoice.file.name != photo.file.name
    with invoice.file.open("rb") as stored:
        assert stored.read() == pdf


def test_a_refused_attachment_is_kept_with_its_reason_and_no_file(shop: Shop) -> None:
    # given
    email = inbound_email(
        attachments=(
            InboundAttachment(
                "setup.exe", "application/x-msdownload", b"", rejected_reason="executable"
            ),
        )
    )

    # when
    result = services.message_receive(shop=shop, inbound=email)

    # then
    refused = result.message.attachments.get()
    assert refused.rejected_reason == "executable"
    assert not refused.file
    assert refused.filename == "setup.exe"


def test_an_attachment_over_the_limit_is_refused_not_stored(shop: Shop) -> None:
    # given
    huge = InboundAttachment("video.mp4", "video/mp4", b"0" * (ATTACHMENT_MAX_BYTES + 1))

    # when
    result = services.message_receive(shop=shop, inbound=inbound_email(attachments=(huge,)))

    # then
    refused = result.message.attachments.get()
    assert refused.rejected_reason.startswith("too large")
    assert refused.size == ATTACHMENT_MAX_BYTES + 1
    assert not refused.file


def test_the_raw_original_is_kept_in_storage(shop: Shop) -> None:
    # given
    raw = b"From: anouk@example.nl\r\nSubject: Hoi\r\n\r\nHoi\r\n"

    # when
    result = services.message_receive(shop=shop, inbound=inbound_email(raw=raw))

    # then
    assert result.message.raw.name.startswith(f"inbox/raw/{shop.pk}/")
    with result.message.raw.open("rb") as stored:
        assert stored.read() == raw


def test_text_with_nul_and_lone_surrogates_is_stored_cleanly(shop: Shop) -> None:
    # when
    result = services.message_receive(
        shop=shop, inbound=inbound_email(text="a\x00b\udce9c", subject="x\x00y")
    )

    # then
    message = Message.objects.get(pk=result.message.pk)
    assert message.text == "a\ufffdb?c"
    assert message.subject == "x\ufffdy"


def test_shop_a_never_threads_into_shop_b_even_with_the_same_message_ids(
    shop: Shop, other_shop: Shop
) -> None:
    # given
    theirs = services.message_receive(
        shop=other_shop, inbound=inbound_email(external_id="<gedeeld@x.nl>")
    )

    # when
    ours = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            external_id="<antwoord@x.nl>",
            in_reply_to="<gedeeld@x.nl>",
            references=("<gedeeld@x.nl>",),
        ),
    )

    # then
    assert ours.conversation_created
    assert ours.conversation.shop == shop
    assert ours.conversation.customer.shop == shop
    assert theirs.conversation.messages.count() == 1
    assert Customer.objects.filter(email="anouk@example.nl").count() == 2


def test_the_same_message_id_in_two_shops_is_stored_in_each(shop: Shop, other_shop: Shop) -> None:
    # given
    email = inbound_email(external_id="<beide@x.nl>")

    # when
    ours = services.message_receive(shop=shop, inbound=email)
    theirs = services.message_receive(shop=other_shop, inbound=email)

    # then
    assert ours.created
    assert theirs.created
    assert ours.conversation != theirs.conversation


def test_receiving_takes_a_bounded_number_of_queries(
    shop: Shop, django_assert_max_num_queries: object
) -> None:
    # given
    services.message_receive(shop=shop, inbound=inbound_email(sender_address="vast@x.nl"))
    many_references = tuple(f"<ref{i}@x.nl>" for i in range(500))
    attachments = tuple(
        InboundAttachment(f"bijlage{i}.txt", "text/plain", b"x" * i) for i in range(10)
    )

    # when / then: a new customer, every threading step, ten attachments, a raw original,
    # the search document (started, then the message appended), routing (the shop's default
    # team) and the SLA policies that apply
    with django_assert_max_num_queries(23):  # type: ignore[operator]
        services.message_receive(
            shop=shop,
            inbound=inbound_email(
                sender_address="nieuw@x.nl",
                references=many_references,
                subject="Vraag [#AAAAAAAA]",
                attachments=attachments,
                raw=b"raw",
            ),
        )
    # and: a reply into an existing conversation (its text appended to the search document)
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        services.message_receive(
            shop=shop, inbound=inbound_email(sender_address="vast@x.nl", subject="Nog iets")
        )
    assert Attachment.objects.count() == 10


def test_agents_hear_of_the_message_after_commit(
    shop: Shop, django_capture_on_commit_callbacks: object
) -> None:
    # given
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(shop_group(shop.pk), channel)

    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = services.message_receive(shop=shop, inbound=inbound_email())

    # then
    event = async_to_sync(layer.receive)(channel)
    assert event["payload"] == {
        "type": "message.created",
        "conversation_id": result.conversation.pk,
        "status": "open",
        "message_id": result.message.pk,
        "direction": "in",
        "conversation_created": True,
    }


def test_a_repeat_delivery_tells_nobody(
    shop: Shop, django_capture_on_commit_callbacks: object
) -> None:
    # given
    email = inbound_email()
    services.message_receive(shop=shop, inbound=email)

    # when
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        services.message_receive(shop=shop, inbound=email)

    # then
    assert callbacks == []


def test_an_unknown_channel_is_refused(shop: Shop) -> None:
    # when / then
    with pytest.raises(ValueError, match="carrier-pigeon"):
        services.message_receive(shop=shop, inbound=inbound_email(channel="carrier-pigeon"))


def test_the_display_folds_the_quote_and_the_original_stays(shop: Shop) -> None:
    # given
    body = (
        "Ja, graag ruilen.\n\nOp ma 5 jan. 2026 om 09:12 schreef Pollepel "
        "<service@pollepel.nl>:\n> Wil je ruilen of je geld terug?"
    )

    # when
    message = services.message_receive(shop=shop, inbound=inbound_email(text=body)).message

    # then
    new, folded = Message.objects.get(pk=message.pk).text_parts
    assert new == "Ja, graag ruilen."
    assert folded.startswith("Op ma 5 jan. 2026")
    assert Message.objects.get(pk=message.pk).text == body
