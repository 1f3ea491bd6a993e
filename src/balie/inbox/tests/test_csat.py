"""The satisfaction survey after resolving: when it is sent, its links, and the rating."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import signing
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox
from balie.inbox import errors, outbound, services
from balie.inbox.models import Conversation, ConversationStatus, EventKind, InboxSettings, Message
from balie.inbox.services import csat
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db


def resolved(shop: Shop, agent: Membership, **fields: Any) -> Conversation:
    conversation = services.message_receive(
        shop=shop, inbound=inbound_email(**fields), history=True
    ).conversation
    return services.conversation_set_status(
        shop=shop,
        conversation=conversation,
        status=ConversationStatus.RESOLVED,
        actor=agent,
        now=timezone.now() - dt.timedelta(hours=2),
    )


def surveys(shop: Shop) -> list[Message]:
    return list(Message.objects.for_shop(shop).filter(automated_reason=outbound.CSAT))


def test_resolving_queues_the_survey_after_the_shops_delay(
    shop: Shop, agent: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    InboxSettings.objects.create(shop=shop, csat_delay_minutes=90)
    conversation = services.message_receive(shop=shop, inbound=inbound_email()).conversation

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_set_status(
            shop=shop, conversation=conversation, status="resolved", actor=agent
        )

    # then
    task = DBTaskResult.objects.get(task_path__endswith="csat_request")
    assert task.args_kwargs["kwargs"] == {"shop_id": shop.pk, "conversation_id": conversation.pk}
    assert round((task.run_after - task.enqueued_at).total_seconds() / 60) == 90


def test_resolving_queues_nothing_when_the_shop_does_not_ask(
    shop: Shop, agent: Membership, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    InboxSettings.objects.create(shop=shop, csat_enabled=False)
    conversation = services.message_receive(shop=shop, inbound=inbound_email()).conversation

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_set_status(
            shop=shop, conversation=conversation, status="resolved", actor=agent
        )
        services.conversation_set_status(
            shop=shop, conversation=conversation, status="closed", actor=agent
        )

    # then
    assert not DBTaskResult.objects.filter(task_path__endswith="csat_request").exists()


def test_the_survey_goes_out_once_with_five_signed_links(
    shop: Shop,
    agent: Membership,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    conversation = resolved(shop, agent)

    # when the task runs (twice: tasks may)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.csat_request_send(shop=shop, conversation_id=conversation.pk)
        second = services.csat_request_send(shop=shop, conversation_id=conversation.pk)
    run_tasks()

    # then
    assert (first, second) == ("sent", "skipped: asked before")
    conversation.refresh_from_db()
    assert conversation.csat_requested_at is not None
    assert conversation.events.filter(kind=EventKind.CSAT_REQUESTED).count() == 1
    [survey] = surveys(shop)
    assert survey.is_automated
    [received] = smtp_server.received
    email = received.message
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Subject"] == f"Hoe tevreden ben je over ons antwoord? [#{conversation.reference}]"
    html_part = email.get_body(preferencelist=("html",))
    assert html_part is not None
    html = str(html_part.get_content())
    for score in range(1, 6):
        assert re.search(rf'href="http[^"]+/tevredenheid/[^"/]+/{score}/"[^>]*>{score}</a>', html)
    # the token names no database id of the conversation
    token = survey.text.split("/tevredenheid/")[1].split("/")[0]
    payload = signing.Signer(salt="balie.inbox.csat.link").unsign_object(token)
    assert payload[:2] == [shop.pk, conversation.reference]
    # the survey does not move the conversation up the inbox, nor re-open it
    assert conversation.last_message_at < survey.created_at
    assert conversation.status == ConversationStatus.RESOLVED


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("reopened", "skipped: no longer resolved"),
        ("resolved_again", "skipped: resolved again later"),
        ("no_email", "skipped: no address to ask"),
        ("robot", "skipped: no message from a person"),
        ("turned_off", "skipped: turned off"),
    ],
)
def test_the_survey_is_skipped_when_it_no_longer_fits(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox, change: str, expected: str
) -> None:
    # given
    conversation = resolved(
        shop, agent, is_automated=(change == "robot"), automated_reason="bounce"
    )
    if change == "reopened":
        services.conversation_set_status(
            shop=shop, conversation=conversation, status="open", actor=agent
        )
    elif change == "resolved_again":
        Conversation.objects.filter(pk=conversation.pk).update(resolved_at=timezone.now())
    elif change == "no_email":
        conversation.customer.email = ""
        conversation.customer.save()
    elif change == "turned_off":
        InboxSettings.objects.create(shop=shop, csat_enabled=False)

    # when
    outcome = services.csat_request_send(shop=shop, conversation_id=conversation.pk)

    # then
    assert outcome == expected
    assert surveys(shop) == []


def test_a_link_records_the_score_and_a_later_click_changes_it(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given
    conversation = resolved(shop, agent)
    services.csat_request_send(shop=shop, conversation_id=conversation.pk)
    token = csat.csat_token(conversation=conversation)

    # when
    found = csat.conversation_for_csat_token(token=token)
    services.csat_record(shop=shop, conversation=found, score=2)
    services.csat_record(shop=shop, conversation=found, score=4, comment="Snel geholpen!")
    services.csat_record(shop=shop, conversation=found, score=4)

    # then
    conversation.refresh_from_db()
    assert (conversation.csat_score, conversation.csat_comment) == (4, "Snel geholpen!")
    assert conversation.csat_rated_at is not None
    events = conversation.events.filter(kind=EventKind.CSAT_RECEIVED).order_by("pk")
    assert [event.data["score"] for event in events] == [2, 4]


def test_links_that_were_altered_expired_or_never_sent_are_refused(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given
    conversation = resolved(shop, agent)
    never_asked = csat.csat_token(conversation=conversation)
    services.csat_request_send(shop=shop, conversation_id=conversation.pk)
    conversation.refresh_from_db()
    old = csat.csat_token(conversation=conversation, now=timezone.now() - dt.timedelta(days=31))
    valid = csat.csat_token(conversation=conversation)
    other_purpose = signing.Signer(salt="iets-anders").sign_object(
        [shop.pk, conversation.reference, int(timezone.now().timestamp())]
    )

    # when / then
    assert csat.conversation_for_csat_token(token=valid) == conversation
    for token in (old, valid[:-2] + "xx", other_purpose, "abc", "", "x:" * 300):
        with pytest.raises(errors.CsatLinkInvalid):
            csat.conversation_for_csat_token(token=token)
    Conversation.objects.filter(pk=conversation.pk).update(csat_requested_at=None)
    with pytest.raises(errors.CsatLinkInvalid):
        csat.conversation_for_csat_token(token=never_asked)


@pytest.mark.parametrize("value", ["0", "6", "abc", "", "4.5", "-1", "05"])
def test_only_scores_one_to_five_count(value: str) -> None:
    with pytest.raises(errors.CsatScoreInvalid):
        csat.csat_score(value)


def test_a_comment_longer_than_the_limit_is_refused(
    shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given
    conversation = resolved(shop, agent)

    # when / then
    with pytest.raises(errors.CsatScoreInvalid):
        services.csat_record(shop=shop, conversation=conversation, score=3, comment="x" * 2001)
