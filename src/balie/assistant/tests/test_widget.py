from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from balie.assistant import widget
from balie.assistant.models import Session, Turn
from balie.assistant.tests.conftest import WEBSITE
from balie.tenancy.models import Membership, Shop

SESSION = "/s/pollepel/widget/sessie/"
ANSWER = "/s/pollepel/widget/antwoord/"
FAQ = "/s/pollepel/widget/faq/"
FAQ_HTML = "/s/pollepel/widget/faq.html"


@pytest.fixture(autouse=True)
def _counters_forgotten(cache_cleared: None) -> None:
    """The throttle counts in the cache, which outlives a test."""


def _token(client: Client | None = None) -> str:
    response = (client or Client()).post(SESSION)
    assert response.status_code == 200
    return str(response.json()["token"])


def _ask(body: object, *, token: str, client: Client | None = None, **extra: str) -> Any:
    return (client or Client()).post(
        ANSWER,
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-Balie-Widget": token, **extra},
    )


# --- the widget session ---------------------------------------------------------------------


def test_a_new_session_is_a_token_valid_for_twelve_hours(shop: Shop) -> None:
    # when
    response = Client().post(SESSION)
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_in"}
    assert body["expires_in"] == 12 * 60 * 60
    assert widget.session_verify(token=body["token"], shop=shop) is not None


def test_each_session_has_its_own_id(shop: Shop) -> None:
    # when
    first, second = _token(), _token()
    # then
    assert widget.session_verify(token=first, shop=shop) != widget.session_verify(
        token=second, shop=shop
    )


def test_the_token_answers_with_the_apis_json_and_article_addresses(knowledge: Shop) -> None:
    # given
    token = _token()
    # when
    response = _ask({"question": "hoe kan ik retourneren", "locale": "nl"}, token=token)
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"conversation_id", "answer", "article_ids", "articles", "confidence",
                         "handoff", "reason", "outcome", "language", "action"}  # fmt: skip
    assert body["outcome"] == "answered"
    assert (
        body["articles"][0]["url"]
        == "http://testserver/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/"
    )
    assert Session.objects.for_shop(knowledge).get().channel == "widget"


def test_a_follow_up_continues_the_conversation(knowledge: Shop) -> None:
    # given
    token = _token()
    first = _ask({"question": "waar is mijn bestelling"}, token=token).json()
    # when
    second = _ask(
        {"question": "NL1 1234 AB", "conversation_id": first["conversation_id"]}, token=token
    ).json()
    # then
    assert second["conversation_id"] == first["conversation_id"]
    assert second["outcome"] == "verify"


def test_asking_for_a_person_asks_the_address_then_tells_when_they_hear_back(
    knowledge: Shop,
) -> None:
    # given
    token = _token()
    asked = _ask({"question": "ik wil een medewerker spreken"}, token=token).json()
    assert asked["outcome"] == "contact_needed"
    # when: the widget's address form sends the address as the question and as `email`
    handed = _ask(
        {"question": "piet@example.nl", "email": "piet@example.nl",
         "conversation_id": asked["conversation_id"]},
        token=token,
    ).json()  # fmt: skip
    # then
    assert handed["outcome"] == "handoff"
    assert handed["action"]["type"] == "handoff"
    assert handed["action"]["expected_response"]


def test_a_token_expires_after_twelve_hours(shop: Shop) -> None:
    # given
    now = timezone.now()
    old = widget.session_token(shop=shop, now=now - dt.timedelta(hours=12, seconds=1))
    fresh = widget.session_token(shop=shop, now=now - dt.timedelta(hours=11, minutes=59))
    # then
    assert widget.session_verify(token=old, shop=shop, now=now) is None
    assert widget.session_verify(token=fresh, shop=shop, now=now) is not None
    response = _ask({"question": "retour"}, token=old)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_session"


def test_a_token_from_the_future_is_refused(shop: Shop) -> None:
    # given
    later = widget.session_token(shop=shop, now=timezone.now() + dt.timedelta(hours=1))
    # then
    assert widget.session_verify(token=later, shop=shop) is None


def test_a_token_of_another_shop_is_refused(knowledge: Shop, other_shop: Shop) -> None:
    # given
    theirs = _token_for(other_shop)
    # when
    response = _ask({"question": "retour"}, token=theirs)
    # then
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_session"
    assert not Turn.objects.exists()


def _token_for(shop: Shop) -> str:
    return str(Client().post(f"/s/{shop.slug}/widget/sessie/").json()["token"])


def test_missing_and_forged_tokens_are_refused(shop: Shop) -> None:
    # given
    valid = _token()
    payload, _separator, signature = valid.rpartition(":")
    forged = [
        "",
        "nep",
        f"{payload}:{'A' * len(signature)}",
        f"{payload[:-2]}xy:{signature}",
        signing.Signer(salt="balie.inbox.csat").sign_object([shop.pk, "x", 1]),
        signing.Signer(salt="balie.assistant.widget.session").sign_object(["1", "x", "nu"]),
        valid + "x",
    ]
    for token in forged:
        # when
        response = _ask({"question": "retour"}, token=token)
        # then
        assert response.status_code == 401, token
        assert response.json()["error"] == "invalid_session"
    response = Client().post(ANSWER, data="{}", content_type="application/json")
    assert response.status_code == 401


@given(st.text(max_size=600))
def test_any_token_text_is_checked_without_errors(token: str) -> None:
    # given
    shop = Shop(pk=1, slug="pollepel")
    # then
    assert widget.session_verify(token=token, shop=shop) is None


# --- what the endpoint refuses ----------------------------------------------------------------


def test_invalid_bodies_get_field_errors_not_server_errors(knowledge: Shop) -> None:
    # given
    token = _token()
    for body, field in (
        ({"question": "x" * 20_001}, "question"),
        ({"question": "retour", "onbekend": 1}, "onbekend"),
        ({"question": 42}, "question"),
        ({"question": "retour", "locale": "Nederlands"}, "locale"),
        ({"question": "retour", "email": "a\x00b@example.nl"}, "email"),
        ({}, "question"),
        ([], "body"),
        ("retour", "body"),
    ):
        # when
        response = _ask(body, token=token)
        # then
        assert response.status_code == 422, body
        problem = response.json()
        assert problem["error"] == "validation_error"
        assert field in [error["field"] for error in problem["errors"]], body


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
QUESTION_FIELDS = st.sampled_from(
    ["question", "locale", "page_url", "conversation_id", "email", "name"]
)


@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(JSON | st.dictionaries(QUESTION_FIELDS, JSON | st.text(max_size=80), max_size=6))
def test_any_json_body_is_answered_or_refused_never_an_error(shop: Shop, body: object) -> None:
    # given
    cache.clear()  # the throttle's counter: every example is a new minute
    # when
    response = _ask(body, token=widget.session_token(shop=shop))
    # then
    assert response.status_code in (200, 422), response.content
    assert response["Content-Type"] == "application/json"


def test_a_malformed_or_huge_body_is_refused(knowledge: Shop) -> None:
    # given
    token = _token()
    headers = {"X-Balie-Widget": token}
    # when
    malformed = Client().post(
        ANSWER, data=b"{nee", content_type="application/json", headers=headers
    )
    huge = Client().post(
        ANSWER, data=b" " * 70_000 + b"{}", content_type="application/json", headers=headers
    )
    # then
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "body"
    assert huge.status_code == 413


def test_html_and_script_in_a_question_stay_text(knowledge: Shop) -> None:
    # given
    question = '<script>alert("x")</script><img src=x onerror=alert(1)> retour?'
    # when
    response = _ask({"question": question}, token=_token())
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Turn.objects.for_shop(knowledge).get().question == question


def test_questions_are_throttled_per_shop_and_address(
    knowledge: Shop, other_shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setattr(widget, "QUESTIONS_PER_MINUTE", 2)
    token = _token()
    for _turn in range(2):
        assert _ask({"question": "retour"}, token=token).status_code == 200
    # when
    refused = _ask({"question": "retour"}, token=token)
    elsewhere = _ask({"question": "retour"}, token=token, client=Client(REMOTE_ADDR="192.0.2.7"))
    other = Client().post(
        f"/s/{other_shop.slug}/widget/antwoord/",
        data=json.dumps({"question": "retour"}),
        content_type="application/json",
        headers={"X-Balie-Widget": _token_for(other_shop)},
    )
    # then
    assert refused.status_code == 429
    assert refused.json()["error"] == "throttled"
    assert refused["Retry-After"] == "60"
    assert elsewhere.status_code == 200
    assert other.status_code == 200


def test_new_sessions_are_throttled_too(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setattr(widget, "SESSIONS_PER_MINUTE", 1)
    _token()
    # when
    response = Client().post(SESSION)
    # then
    assert response.status_code == 429


def test_an_unknown_shop_or_method_is_a_json_error(shop: Shop) -> None:
    # when
    unknown = Client().post("/s/bestaat-niet/widget/sessie/")
    wrong_method = Client().get(SESSION)
    # then
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method["Allow"] == "POST, OPTIONS"


# --- CORS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        WEBSITE,
        "https://klantenservice.pollepel.nl",
        "http://127.0.0.1:8000",  # Balie's own (BALIE_BASE_URL in tests)
    ],
)
def test_the_shops_own_origins_may_read_the_answers(site: Shop, origin: str) -> None:
    # when
    response = Client().post(SESSION, headers={"Origin": origin})
    # then
    assert response["Access-Control-Allow-Origin"] == origin
    assert "Origin" in response["Vary"].split(", ")
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "https://www.pollepel.nl.evil.example",
        "http://klantenservice.pollepel.nl",  # plain http only while DEBUG
        "null",
    ],
)
def test_other_origins_get_no_cors_headers(site: Shop, origin: str) -> None:
    # when
    session = Client().post(SESSION, headers={"Origin": origin})
    faq = Client().get(FAQ, headers={"Origin": origin})
    preflight = Client().options(
        ANSWER, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    # then
    for response in (session, faq, preflight):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Headers" not in response


def test_plain_http_domains_are_allowed_while_debugging(site: Shop, settings: Settings) -> None:
    # given
    settings.DEBUG = True
    # when
    response = Client().post(SESSION, headers={"Origin": "http://klantenservice.pollepel.nl"})
    # then
    assert response["Access-Control-Allow-Origin"] == "http://klantenservice.pollepel.nl"


def test_a_preflight_from_the_shop_allows_the_token_header(site: Shop) -> None:
    # when
    response = Client().options(
        ANSWER,
        headers={
            "Origin": WEBSITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-balie-widget",
        },
    )
    # then
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == WEBSITE
    assert response["Access-Control-Allow-Methods"] == "POST"
    assert response["Access-Control-Allow-Headers"] == "Content-Type, X-Balie-Widget"
    assert int(response["Access-Control-Max-Age"]) > 0


def test_a_preflight_for_a_method_the_endpoint_does_not_take_is_not_allowed(site: Shop) -> None:
    # when
    response = Client().options(
        ANSWER, headers={"Origin": WEBSITE, "Access-Control-Request-Method": "DELETE"}
    )
    # then
    assert "Access-Control-Allow-Methods" not in response


def test_a_refusal_is_readable_by_the_shops_page(site: Shop) -> None:
    # when
    response = _ask({"question": "retour"}, token="nep", Origin=WEBSITE)
    # then: the widget can tell an expired session from a network error
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == WEBSITE


def test_a_browser_needs_no_csrf_token_and_its_cookies_open_nothing(
    knowledge: Shop, agent: Membership
) -> None:
    # given: a browser that also holds an agent's session at Balie
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent.user)
    # when
    with_token = _ask({"question": "retour"}, token=_token(browser), client=browser)
    without = _ask({"question": "retour"}, token="", client=browser)
    # then
    assert with_token.status_code == 200
    assert not with_token.cookies
    assert without.status_code == 401
