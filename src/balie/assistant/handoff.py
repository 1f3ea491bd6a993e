"""Handing a shopper over to a person: a conversation in the inbox with the whole transcript,
and the moment the shopper may expect an answer.

The conversation arrives through the inbox's one intake path (`message_receive`): as a live
chat when the shopper is in the widget and a person can take it now (`chat.chat_offered`),
else as email, answered at the address the shopper gave. Each hand-off of a session has its
own message id, so delivering it twice stores it once, and a second hand-off threads into the
first conversation while that is still open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.assistant import chat
from balie.assistant.models import Session, Turn
from balie.channels import chat as chat_channel
from balie.inbox import services as inbox_services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import Conversation
from balie.tenancy import presence
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import ContactChannel, Shop
from balie.web import response_times

SUBJECT_CHARS = 80


@dataclass(frozen=True)
class Handoff:
    conversation: Conversation
    channel: str  # where the shopper will hear back
    expected_response: str  # the sentence to show, in the active language
    expected_at: dt.datetime | None
    agents_available: bool


def handoff_create(
    *, shop: Shop, session: Session, reason: str, intent: str = "", live: bool = False
) -> Handoff:
    """Create (or, delivered again, find) the inbox conversation for the session: a chat
    when `live` (the caller checked `chat.chat_offered`), else an email conversation with the
    session's address."""
    turns = list(session.turns.order_by("created_at", "id"))
    first_question = next((turn.question for turn in turns if turn.question.strip()), "")
    channel = ContactChannel.CHAT if live else ContactChannel.EMAIL
    with translation.override(shop.default_locale):
        subject = _("Vraag via de assistent: %(question)s") % {
            "question": _one_line(first_question)[:SUBJECT_CHARS]
        }
        text = transcript(
            turns,
            reason=reason,
            intent=intent,
            email=session.customer_email if live else "",
        )
    inbound = InboundMessage(
        channel=channel,
        external_id=chat.handoff_message_id(session, len(turns)),
        sender_address=(
            chat_channel.visitor_id(session.reference) if live else session.customer_email
        ),
        sender_name=session.customer_name,
        subject=subject,
        text=text,
        language=session.locale,
    )
    received = inbox_services.message_receive(shop=shop, inbound=inbound)
    now = timezone.now()
    available = bool(presence.agents_available(shop=shop, now=now))
    sentence, due_at = expected_response(shop=shop, now=now, channel=channel)
    return Handoff(
        conversation=received.conversation,
        channel=channel,
        expected_response=sentence,
        expected_at=due_at,
        agents_available=available,
    )


def expected_response(
    *, shop: Shop, now: dt.datetime, channel: str = ContactChannel.EMAIL
) -> tuple[str, dt.datetime | None]:
    """The shop's promise for an answer on `channel`, from its contact options and hours."""
    option = tenancy_selectors.contact_option_list(shop=shop).filter(channel=channel).first()
    if option is None:
        return _("We reageren zo snel mogelijk."), None
    schedule = tenancy_selectors.schedule_for(shop=shop)
    with timezone.override(shop.tz):
        promise = response_times.response_promise(option=option, schedule=schedule, now=now)
        return response_times.promise_sentence(promise), promise.due_at


# Marked for translation here, translated when the transcript is written.
REASONS = {
    "asked_for_person": gettext_noop("De klant vroeg om een medewerker."),
    "low_confidence": gettext_noop("De assistent wist het antwoord niet zeker."),
    "out_of_scope": gettext_noop("De vraag staat niet in de kennisbank."),
    "verification_failed": gettext_noop("De klant kon de bestelling niet bevestigen."),
    "action_request": gettext_noop(
        "De klant wil dat we iets regelen; de bestelling is bevestigd (zie hierboven)."
    ),
}


# The self-service requests, as the agent reads them in the transcript.
REQUESTS = {
    "order_cancel": gettext_noop("Bestelling annuleren"),
    "address_change": gettext_noop("Bezorgadres wijzigen"),
    "invoice_resend": gettext_noop("Factuur opnieuw sturen"),
    "return_start": gettext_noop("Retour aanmelden"),
    "order_status": gettext_noop("Bestelstatus"),
}


def transcript(turns: list[Turn], *, reason: str, intent: str = "", email: str = "") -> str:
    """The conversation as an agent reads it, oldest first; `email`: the address a chatting
    shopper gave (not checked, so named as given)."""
    lines = [_("Gesprek met de assistent"), ""]
    if email:
        lines += [_("Opgegeven e-mailadres (niet gecontroleerd): %(email)s") % {"email": email}, ""]
    for turn in turns:
        if turn.question:
            lines.append(_("Klant: %(text)s") % {"text": turn.question})
        if turn.answer:
            lines.append(_("Assistent: %(text)s") % {"text": turn.answer})
        lines.append("")
    if intent in REQUESTS:
        lines.append(_("Verzoek: %(request)s") % {"request": _(REQUESTS[intent])})
    lines.append(_("Doorgegeven omdat: %(reason)s") % {"reason": _(REASONS.get(reason, reason))})
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
