"""Customer satisfaction (CSAT): one question after resolving, answered in one click.

- Resolving a conversation queues `csat_request_send` to run `csat_delay_minutes` later
  (`csat_request_on_commit`, called by `conversation_set_status`). It sends only if the
  conversation is still resolved (and was not re-opened and resolved again since: that
  resolve has its own task), the shop asks, the customer was not asked before and has an
  email address, and the conversation holds a customer's message that a person wrote.
- The email holds five links, /tevredenheid/<token>/<1…5>/. The token is signed with the
  installation's SECRET_KEY (`django.core.signing`, a salt of its own) and holds the shop's
  id, the conversation's random reference (never its database id) and when it was made; it
  is valid for `LINK_VALIDITY`. One click records the score, later clicks change it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from balie.channels import errors as channel_errors
from balie.channels.email import automated
from balie.inbox import errors, selectors, subjects, tasks
from balie.inbox import outbound as inbox_outbound
from balie.inbox.models import (
    Conversation,
    ConversationStatus,
    Direction,
    EventKind,
    Message,
)
from balie.inbox.sanitize import sanitize_html
from balie.inbox.services import outbound, trail
from balie.tenancy.models import Shop

logger = logging.getLogger(__name__)

LINK_VALIDITY = dt.timedelta(days=30)
COMMENT_MAX_CHARS = 2_000
SCORES = (1, 2, 3, 4, 5)
_SALT = "balie.inbox.csat.link"


def score_labels() -> dict[int, str]:
    return {
        1: _("Heel ontevreden"),
        2: _("Ontevreden"),
        3: _("Neutraal"),
        4: _("Tevreden"),
        5: _("Heel tevreden"),
    }


def csat_request_on_commit(*, shop: Shop, conversation: Conversation) -> None:
    """Queue the survey for a conversation that was just resolved, once the transaction
    commits, to run after the shop's delay; nothing when the shop does not ask."""

    def enqueue() -> None:
        inbox_settings = selectors.inbox_settings_get(shop=shop)
        if not inbox_settings.csat_enabled:
            return
        run_after = timezone.now() + dt.timedelta(minutes=inbox_settings.csat_delay_minutes)
        tasks.csat_request.using(run_after=run_after).enqueue(
            shop_id=shop.pk, conversation_id=conversation.pk
        )

    transaction.on_commit(enqueue)


def csat_request_send(*, shop: Shop, conversation_id: int, now: dt.datetime | None = None) -> str:
    """Ask the customer once how satisfied they are; returns "sent" or "skipped: <why>".
    Idempotent (`csat_requested_at` is set in the same transaction; the row is locked)."""
    now = now or timezone.now()
    inbox_settings = selectors.inbox_settings_get(shop=shop)
    with transaction.atomic():
        conversation = (
            Conversation.objects.for_shop(shop)
            .select_for_update(of=("self",))
            .select_related("customer")
            .filter(pk=conversation_id)
            .first()
        )
        reason = _why_not(
            shop=shop,
            conversation=conversation,
            enabled=inbox_settings.csat_enabled,
            delay=dt.timedelta(minutes=inbox_settings.csat_delay_minutes),
            now=now,
        )
        if reason or conversation is None:
            return f"skipped: {reason}"
        text, html = _survey(shop=shop, conversation=conversation, now=now)
        try:
            survey = outbound.outbound_message_new(
                shop=shop,
                conversation=conversation,
                text=text,
                html=html,
                subject=_subject(shop=shop, conversation=conversation),
                automated_reason=inbox_outbound.CSAT,
                now=now,
            )
        except (channel_errors.ChannelNotConfigured, channel_errors.RecipientMissing) as error:
            return f"skipped: {error.code}"
        # The survey does not move the conversation up the inbox: last_message_at stays.
        conversation.csat_requested_at = now
        conversation.save(update_fields=["csat_requested_at", "updated_at"])
        trail.event(conversation, EventKind.CSAT_REQUESTED, message_id=survey.pk).save()
        trail.publish(conversation, "conversation.updated", fields=["csat_requested_at"])
    return "sent"


def _why_not(
    *,
    shop: Shop,
    conversation: Conversation | None,
    enabled: bool,
    delay: dt.timedelta,
    now: dt.datetime,
) -> str:
    if conversation is None:
        return "no such conversation"
    if not enabled:
        return "turned off"
    if conversation.status != ConversationStatus.RESOLVED or conversation.resolved_at is None:
        return "no longer resolved"
    if conversation.resolved_at + delay > now + dt.timedelta(seconds=1):
        return "resolved again later"  # that resolve queued its own survey
    if conversation.csat_requested_at is not None:
        return "asked before"
    address = conversation.customer.email
    if not address or automated.automated_reason(
        headers={}, sender=address, subject="", content_type=""
    ):
        return "no address to ask"
    asked_by_person = (
        Message.objects.for_shop(shop)
        .filter(conversation=conversation, direction=Direction.INBOUND, is_automated=False)
        .exists()
    )
    if not asked_by_person:
        return "no message from a person"
    return ""


def _subject(*, shop: Shop, conversation: Conversation) -> str:
    with translation.override(shop.default_locale):
        return subjects.subject_with_reference(
            _("Hoe tevreden ben je over ons antwoord?"), reference=conversation.reference
        )


def _survey(*, shop: Shop, conversation: Conversation, now: dt.datetime) -> tuple[str, str]:
    token = csat_token(conversation=conversation, now=now)
    links = {score: csat_url(token=token, score=score) for score in SCORES}
    with translation.override(shop.default_locale):
        labels = score_labels()
        name = conversation.customer.first_name
        greeting = _("Hoi %(name)s,") % {"name": name} if name else _("Hoi,")
        question = _("Hoe tevreden ben je over ons antwoord op je vraag “%(subject)s”?") % {
            "subject": subjects.subject_base(conversation.subject) or conversation.reference
        }
        click = _("Klik op een cijfer, van 1 (heel ontevreden) tot 5 (heel tevreden):")
        thanks = _("Eén klik is genoeg. Bedankt voor je hulp!")
        closing = _("Met vriendelijke groet,")
        text = "\n".join(
            [
                greeting,
                "",
                question,
                click,
                "",
                *(f"{score} – {labels[score]}: {links[score]}" for score in SCORES),
                "",
                thanks,
                "",
                closing,
                shop.name,
            ]
        )
        buttons = format_html_join(
            "",
            '<td><a href="{}" title="{}">{}</a></td>',
            ((links[score], labels[score], score) for score in SCORES),
        )
        html = format_html(
            "<p>{}</p><p>{}</p><p>{}</p><table><tbody><tr>{}</tr></tbody></table>"
            "<p>{}</p><p>{}<br>{}</p>",
            greeting,
            question,
            click,
            buttons,
            thanks,
            closing,
            shop.name,
        )
    return text, sanitize_html(str(html))


def csat_token(*, conversation: Conversation, now: dt.datetime | None = None) -> str:
    issued = int((now or timezone.now()).timestamp())
    return signing.Signer(salt=_SALT).sign_object(
        [conversation.shop_id, conversation.reference, issued]
    )


def csat_url(*, token: str, score: int) -> str:
    return settings.BALIE_BASE_URL + reverse(
        "web:csat_rate", kwargs={"token": token, "score": str(score)}
    )


def conversation_for_csat_token(*, token: str, now: dt.datetime | None = None) -> Conversation:
    """The surveyed conversation a link is for; `CsatLinkInvalid` for a link that was
    altered or made up, is older than `LINK_VALIDITY`, or whose conversation was never asked
    (or no longer exists)."""
    now = now or timezone.now()
    invalid = errors.CsatLinkInvalid(
        _("Deze link werkt niet (meer). Misschien is hij verlopen of niet helemaal gekopieerd.")
    )
    try:
        shop_id, reference, issued = signing.Signer(salt=_SALT).unsign_object(token[:500])
        issued_at = dt.datetime.fromtimestamp(int(issued), tz=dt.UTC)
    except (signing.BadSignature, ValueError, TypeError, OverflowError, OSError):
        raise invalid from None
    if not isinstance(shop_id, int) or not isinstance(reference, str):
        raise invalid
    if not now - LINK_VALIDITY <= issued_at <= now + dt.timedelta(minutes=5):
        raise invalid
    conversation: Conversation | None = (
        Conversation.objects.select_related("shop", "customer")
        .filter(
            shop_id=shop_id,
            shop__is_active=True,
            reference=reference,
            csat_requested_at__isnull=False,
        )
        .first()
    )
    if conversation is None:
        raise invalid
    return conversation


def csat_score(value: str) -> int:
    """A score from a link: "1" to "5"; `CsatScoreInvalid` otherwise."""
    if value not in {str(score) for score in SCORES}:
        raise errors.CsatScoreInvalid(_("Kies een cijfer van 1 tot 5."), field="score")
    return int(value)


@transaction.atomic
def csat_record(
    *,
    shop: Shop,
    conversation: Conversation,
    score: int,
    comment: str | None = None,
    now: dt.datetime | None = None,
) -> Conversation:
    """Store the customer's score (and comment, when given; None keeps the one there).
    A later call changes them; a call that changes nothing writes no event."""
    if score not in SCORES:
        raise errors.CsatScoreInvalid(_("Kies een cijfer van 1 tot 5."), field="score")
    if comment is not None and len(comment) > COMMENT_MAX_CHARS:
        raise errors.CsatScoreInvalid(
            _("Je toelichting is te lang (hooguit %(max)s tekens).") % {"max": "2.000"},
            field="comment",
        )
    now = now or timezone.now()
    conversation = Conversation.objects.for_shop(shop).select_for_update().get(pk=conversation.pk)
    new_comment = conversation.csat_comment if comment is None else comment.strip()
    if conversation.csat_score == score and conversation.csat_comment == new_comment:
        return conversation
    old = conversation.csat_score
    conversation.csat_score = score
    conversation.csat_comment = new_comment
    conversation.csat_rated_at = now
    conversation.save(update_fields=["csat_score", "csat_comment", "csat_rated_at", "updated_at"])
    trail.event(
        conversation,
        EventKind.CSAT_RECEIVED,
        old=old,
        score=score,
        commented=bool(new_comment),
    ).save()
    trail.publish(
        conversation, "conversation.updated", fields=["csat_score", "csat_comment"], score=score
    )
    return conversation
