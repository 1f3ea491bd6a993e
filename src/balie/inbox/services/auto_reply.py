"""The acknowledgement of a new question by email, with the expected response time.

When a customer's email starts a new conversation, `message_receive` queues
`auto_reply_send` after its commit; that sends one short message ("we hebben je vraag
ontvangen; je krijgt morgen vóór 11:00 antwoord"), marked `Auto-Submitted: auto-replied`.

The loop guard (RFC 3834 §2, and what helpdesks learnt the hard way): no acknowledgement
- to automated mail (auto-replies, bounces, lists: the parser's `is_automated`), to
  no-reply and mailer-daemon senders, or to the shop's own addresses;
- to a message that answers one of ours (its In-Reply-To/References name a message we sent);
- more than once per conversation, or more than once per customer per 24 hours (the last
  line of defence against a robot that answers everything without saying so);
- when an agent has already answered, or the shop turned it off.
The checks run under a lock on the customer's row, so two new conversations of the same
customer at once still get one acknowledgement between them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balie.channels import errors as channel_errors
from balie.channels import selectors as channel_selectors
from balie.channels.email import automated
from balie.customers.models import Customer
from balie.inbox import macros, selectors, subjects, tasks
from balie.inbox import outbound as inbox_outbound
from balie.inbox.models import Conversation, Direction, EventKind, Message
from balie.inbox.services import outbound, trail
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import ContactChannel, Shop
from balie.web import response_times

logger = logging.getLogger(__name__)

ONCE_PER_CUSTOMER = dt.timedelta(hours=24)
# What a shop's own acknowledgement text may use: the macros' customer, shop and conversation
# values (no agent: nobody has answered yet) and the expected response time as a sentence.
PLACEHOLDERS = (
    "customer.first_name",
    "customer.last_name",
    "customer.name",
    "customer.email",
    "shop.name",
    "conversation.reference",
    "conversation.subject",
    "response_time",
)


def auto_reply_on_commit(*, message: Message, new_conversation: bool) -> None:
    """Queue the acknowledgement for a customer's first email, after the commit. The cheap
    checks run here so most messages cost no task; the rest run in `auto_reply_send`."""
    if (
        new_conversation
        and message.direction == Direction.INBOUND
        and message.channel == ContactChannel.EMAIL
        and not message.is_automated
    ):
        transaction.on_commit(
            partial(tasks.auto_reply_send.enqueue, shop_id=message.shop_id, message_id=message.pk)
        )


def auto_reply_send(*, shop: Shop, message_id: int, now: dt.datetime | None = None) -> str:
    """Acknowledge the customer's message `message_id` if the loop guard allows; returns
    "sent" or "skipped: <why>". Idempotent: a conversation is acknowledged at most once."""
    now = now or timezone.now()
    settings = selectors.inbox_settings_get(shop=shop)
    if not settings.auto_reply_enabled:
        return "skipped: turned off"
    message = (
        Message.objects.for_shop(shop)
        .select_related("conversation")
        .filter(pk=message_id, direction=Direction.INBOUND)
        .first()
    )
    if message is None:
        return "skipped: no such inbound message"
    with transaction.atomic():
        # One customer at a time: the 24-hour check below must see the other's acknowledgement.
        customer = (
            Customer.objects.for_shop(shop)
            .select_for_update()
            .get(pk=message.conversation.customer_id)
        )
        conversation = (
            Conversation.objects.for_shop(shop).select_for_update().get(pk=message.conversation_id)
        )
        reason = _why_not(shop=shop, message=message, conversation=conversation, now=now)
        if reason:
            logger.info("No acknowledgement", extra={"message_id": message.pk, "reason": reason})
            return f"skipped: {reason}"
        try:
            reply = outbound.outbound_message_new(
                shop=shop,
                conversation=conversation,
                text=_text(
                    shop=shop,
                    customer=customer,
                    conversation=conversation,
                    template=settings.auto_reply_text,
                    now=now,
                ),
                subject=subjects.reply_subject(
                    conversation.subject, reference=conversation.reference
                ),
                automated_reason=inbox_outbound.AUTO_REPLY,
                now=now,
            )
        except (channel_errors.ChannelNotConfigured, channel_errors.RecipientMissing) as error:
            return f"skipped: {error.code}"
        conversation.last_message_at = max(conversation.last_message_at, now)
        conversation.save(update_fields=["last_message_at", "updated_at"])
        trail.event(conversation, EventKind.AUTO_REPLY_SENT, message_id=reply.pk).save()
        trail.publish(
            conversation, "message.created", message_id=reply.pk, direction=Direction.OUTBOUND
        )
    return "sent"


def _why_not(*, shop: Shop, message: Message, conversation: Conversation, now: dt.datetime) -> str:
    if message.is_automated or message.channel != ContactChannel.EMAIL:
        return "automated or not email"
    sender = message.sender_address.lower()
    if not sender or automated.automated_reason(
        headers={}, sender=sender, subject="", content_type=""
    ):
        return "automated sender"
    if sender in channel_selectors.shop_addresses(shop=shop):
        return "own address"
    if conversation.first_responded_at is not None:
        return "already answered"
    answered = [message.in_reply_to, *message.references.split()]
    mine = Message.objects.for_shop(shop).filter(direction=Direction.OUTBOUND)
    if any(answered) and mine.filter(external_id__in=[i for i in answered if i]).exists():
        return "answers one of ours"
    earlier = Message.objects.for_shop(shop).filter(
        direction=Direction.OUTBOUND,
        is_automated=True,
        automated_reason=inbox_outbound.AUTO_REPLY,
    )
    if earlier.filter(conversation=conversation).exists():
        return "conversation acknowledged"
    if earlier.filter(
        conversation__customer_id=conversation.customer_id, created_at__gte=now - ONCE_PER_CUSTOMER
    ).exists():
        return "customer acknowledged within 24 hours"
    first = (
        Message.objects.for_shop(shop)
        .filter(conversation=conversation, direction=Direction.INBOUND)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if first != message.pk:
        return "not the first message"
    return ""


def _text(
    *, shop: Shop, customer: Customer, conversation: Conversation, template: str, now: dt.datetime
) -> str:
    with translation.override(shop.default_locale), timezone.override(shop.tz):
        values = {
            "customer.first_name": customer.first_name,
            "customer.last_name": customer.last_name,
            "customer.name": customer.full_name,
            "customer.email": customer.email,
            "shop.name": shop.name,
            "conversation.reference": conversation.reference,
            "conversation.subject": conversation.subject,
            "response_time": expected_response_sentence(shop=shop, now=now),
        }
        return acknowledgement_text(shop=shop, template=template, values=values)


def acknowledgement_text(*, shop: Shop, template: str, values: Mapping[str, str]) -> str:
    """The acknowledgement: the shop's own text with its placeholders filled in (as macros
    are, `|default` included; unknown ones stay visible), or the built-in text when the
    shop's is blank. In the active language; `values` as `PLACEHOLDERS` names them."""
    if template.strip():
        return macros.render(template, values, names=PLACEHOLDERS).strip()
    first_name = values.get("customer.first_name", "")
    greeting = _("Hoi %(name)s,") % {"name": first_name} if first_name else _("Hoi,")
    lines = [
        greeting,
        "",
        _("Bedankt voor je bericht! We hebben je vraag goed ontvangen.")
        + " "
        + values.get("response_time", ""),
        "",
        _(
            "Wil je nog iets toevoegen? Beantwoord dan gewoon deze e-mail, dan komt het "
            "bij je vraag terecht."
        ),
        "",
        _("Met vriendelijke groet,"),
        shop.name,
        "",
        _("Dit is een automatisch bericht. Je vraag heeft nummer %(reference)s.")
        % {"reference": values.get("conversation.reference", "")},
    ]
    return "\n".join(lines)


def acknowledgement_template() -> str:
    """The built-in acknowledgement written with placeholders, in the active language: the
    start a shop can give its own text (the settings page offers it)."""
    return "\n".join(
        [
            _("Hoi %(name)s,") % {"name": '{{ customer.first_name|default:"daar" }}'},
            "",
            _("Bedankt voor je bericht! We hebben je vraag goed ontvangen.")
            + " {{ response_time }}",
            "",
            _(
                "Wil je nog iets toevoegen? Beantwoord dan gewoon deze e-mail, dan komt het "
                "bij je vraag terecht."
            ),
            "",
            _("Met vriendelijke groet,"),
            "{{ shop.name }}",
            "",
            _("Dit is een automatisch bericht. Je vraag heeft nummer %(reference)s.")
            % {"reference": "{{ conversation.reference }}"},
        ]
    )


def expected_response_sentence(*, shop: Shop, now: dt.datetime) -> str:
    """When the shop promises an answer by email, as the help center says it ("Je krijgt
    morgen vóór 11:00 antwoord."), in the active language."""
    option = (
        tenancy_selectors.contact_option_list(shop=shop)
        .filter(channel=ContactChannel.EMAIL)
        .order_by("position", "pk")
        .first()
    )
    if option is None:
        return _("We reageren zo snel mogelijk.")
    promise = response_times.response_promise(
        option=option, schedule=tenancy_selectors.schedule_for(shop=shop), now=now
    )
    return response_times.promise_sentence(promise)
