"""The public rating page behind the survey's links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from balie.inbox.models import Conversation, EventKind
from balie.inbox.services import csat
from balie.inbox.tests.factories import ConversationFactory, MessageFactory
from balie.tenancy.models import Shop, ShopDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(shop: Shop) -> Conversation:
    """A resolved conversation whose customer was asked for a rating."""
    shop.brand_colour = "#c0392b"
    shop.save()
    conversation = ConversationFactory(
        shop=shop, status="resolved", csat_requested_at=timezone.now()
    )
    MessageFactory(conversation=conversation)
    return conversation


def url(conversation: Conversation, score: object, *, token: str | None = None) -> str:
    token = token or csat.csat_token(conversation=conversation)
    return f"/tevredenheid/{token}/{score}/"


def test_one_click_records_the_score_and_thanks_the_customer(
    client: Client, asked: Conversation
) -> None:
    # when
    response = client.get(url(asked, 4))

    # then
    assert response.status_code == 200
    asked.refresh_from_db()
    assert asked.csat_score == 4
    page = response.content.decode()
    assert "Bedankt voor je beoordeling!" in page
    assert "We hebben je cijfer opgeslagen: 4 – Tevreden." in page
    assert "--brand: #c0392b" in page
    assert 'name="comment"' in page
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert asked.events.filter(kind=EventKind.CSAT_RECEIVED).count() == 1


def test_a_later_click_changes_the_score(client: Client, asked: Conversation) -> None:
    # when
    client.get(url(asked, 1))
    client.get(url(asked, 5))

    # then
    asked.refresh_from_db()
    assert asked.csat_score == 5


def test_a_link_checker_asking_for_the_head_records_nothing(
    client: Client, asked: Conversation
) -> None:
    # when
    response = client.head(url(asked, 1))

    # then
    assert response.status_code == 200
    asked.refresh_from_db()
    assert asked.csat_score is None


def test_the_optional_comment_is_posted_with_csrf_and_shown_safely(asked: Conversation) -> None:
    # given a browser that clicked the link
    browser = Client(enforce_csrf_checks=True)
    browser.get(url(asked, 2))
    csrf = browser.cookies["csrftoken"].value

    # when
    refused = browser.post(url(asked, 2), {"comment": "zonder token"})
    response = browser.post(
        url(asked, 2),
        {"comment": "Duurde lang. <script>alert(1)</script>", "csrfmiddlewaretoken": csrf},
    )

    # then
    assert refused.status_code == 403
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bedankt voor je toelichting!" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    asked.refresh_from_db()
    assert (asked.csat_score, asked.csat_comment) == (2, "Duurde lang. <script>alert(1)</script>")


def test_a_comment_over_the_limit_is_refused_with_the_reason(
    client: Client, asked: Conversation
) -> None:
    # when
    response = client.post(url(asked, 3), {"comment": "x" * 2001})

    # then
    assert response.status_code == 400
    assert "2000" in response.content.decode()
    asked.refresh_from_db()
    assert asked.csat_comment == ""


@pytest.mark.parametrize("score", ["0", "6", "abc", "3.5", "%00"])
def test_a_score_outside_one_to_five_gets_a_friendly_400(
    client: Client, asked: Conversation, score: str
) -> None:
    # when
    response = client.get(url(asked, score))

    # then
    assert response.status_code == 400
    assert "Kies een cijfer van 1 tot 5." in response.content.decode()
    asked.refresh_from_db()
    assert asked.csat_score is None


def test_bad_and_expired_links_get_a_friendly_404(client: Client, asked: Conversation) -> None:
    # given
    expired = csat.csat_token(conversation=asked, now=timezone.now() - dt.timedelta(days=31))
    made_up = "eyJzIjoxfQ:abcdefghijklmnop"

    # when
    responses = [
        client.get(url(asked, 5, token=token)) for token in (expired, made_up, "x" * 600, "%F0%9F")
    ]

    # then
    for response in responses:
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
    asked.refresh_from_db()
    assert asked.csat_score is None


def test_a_link_opened_on_another_shops_domain_is_refused(
    client: Client, asked: Conversation, other_shop: Shop
) -> None:
    # given the other shop's help center domain
    ShopDomain.objects.create(shop=other_shop, domain="trapper.localhost")

    # when
    response = client.get(url(asked, 5), headers={"host": "trapper.localhost"})

    # then
    assert response.status_code == 404
    assert other_shop.name not in response.content.decode()
    asked.refresh_from_db()
    assert asked.csat_score is None
