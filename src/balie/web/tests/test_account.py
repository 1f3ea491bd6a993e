from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from balie.tenancy import two_factor
from balie.tenancy.models import Membership, Presence, User
from balie.tenancy.tests.factories import MembershipFactory, UserFactory

PASSWORD = "geheim-wachtwoord-123"  # UserFactory's


@pytest.fixture(autouse=True)
def _fresh_counters(settings: Settings) -> Iterator[None]:
    # Failure counters live in the cache, which outlives a test; start and leave it clean.
    settings.BALIE_LOGIN_MAX_FAILURES = 3
    cache.clear()
    yield
    cache.clear()


def _sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str) -> HttpResponse:
    return client.post(reverse("web:login"), {"email": email, "password": password, **extra})


def _signed_in_user_id(client: Client) -> int | None:
    user_id = client.session.get(SESSION_KEY)
    return int(user_id) if user_id is not None else None


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _wrong_code(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 1_000_000:06d}"


def _two_factor_on(user: User) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.totp_device_start(user=user)
    codes = two_factor.totp_device_confirm(device=device)
    return device, codes


# --- signing in -------------------------------------------------------------------------------


def test_an_agent_signs_in_with_email_and_password(agent: Membership) -> None:
    # given
    client = Client()

    # when
    response = _sign_in(client, "sanne@pollepel.nl")

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert _signed_in_user_id(client) == agent.user.pk


def test_the_email_address_is_not_case_sensitive(agent: Membership) -> None:
    # given
    client = Client()

    # when
    response = _sign_in(client, "Sanne@Pollepel.NL")

    # then
    assert response.status_code == 302
    assert _signed_in_user_id(client) == agent.user.pk


def test_a_wrong_password_is_refused_in_dutch(agent: Membership) -> None:
    # given
    client = Client()

    # when
    response = _sign_in(client, "sanne@pollepel.nl", "niet-het-wachtwoord")

    # then
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_an_inactive_user_cannot_sign_in(agent: Membership) -> None:
    # given
    User.objects.filter(pk=agent.user.pk).update(is_active=False)
    client = Client()

    # when
    response = _sign_in(client, "sanne@pollepel.nl")

    # then
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None


def test_sign_in_continues_to_a_next_page_on_this_site(agent: Membership) -> None:
    # given
    next_url = reverse("web:account_security")

    # when
    response = _sign_in(Client(), "sanne@pollepel.nl", next=next_url)

    # then
    assert response["Location"] == next_url


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/app/", "//evil.example/", "javascript:alert(1)"]
)
def test_sign_in_ignores_a_next_page_elsewhere(agent: Membership, next_url: str) -> None:
    # when
    response = _sign_in(Client(), "sanne@pollepel.nl", next=next_url)

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")


def test_signing_out_ends_the_session(agent_client: Client) -> None:
    # when
    refused = agent_client.get(reverse("web:logout"))
    response = agent_client.post(reverse("web:logout"))

    # then
    assert refused.status_code == 405
    assert response.status_code == 302
    assert _signed_in_user_id(agent_client) is None


# --- throttling -------------------------------------------------------------------------------


def test_after_too_many_failures_even_the_right_password_is_refused(agent: Membership) -> None:
    # given: failures from several IPs, so only the address's counter reaches the limit
    for number in range(3):
        _sign_in(Client(REMOTE_ADDR=f"192.0.2.{number}"), "sanne@pollepel.nl", "fout")
    client = Client(REMOTE_ADDR="192.0.2.200")

    # when
    response = _sign_in(client, "sanne@pollepel.nl")

    # then
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_failures_from_one_ip_block_every_address_from_that_ip(agent: Membership) -> None:
    # given
    for email in ("a@pollepel.nl", "b@pollepel.nl", "c@pollepel.nl"):
        _sign_in(Client(REMOTE_ADDR="198.51.100.7"), email, "fout")

    # when
    blocked = _sign_in(Client(REMOTE_ADDR="198.51.100.7"), "sanne@pollepel.nl")
    elsewhere = _sign_in(Client(REMOTE_ADDR="198.51.100.8"), "sanne@pollepel.nl")

    # then
    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_forgives_earlier_failures_of_the_address(
    agent: Membership,
) -> None:
    # given: two failures, a success, two failures: four in all, from different IPs
    _sign_in(Client(REMOTE_ADDR="192.0.2.1"), "sanne@pollepel.nl", "fout")
    _sign_in(Client(REMOTE_ADDR="192.0.2.2"), "sanne@pollepel.nl", "fout")
    _sign_in(Client(REMOTE_ADDR="192.0.2.3"), "sanne@pollepel.nl")
    _sign_in(Client(REMOTE_ADDR="192.0.2.4"), "sanne@pollepel.nl", "fout")
    _sign_in(Client(REMOTE_ADDR="192.0.2.5"), "sanne@pollepel.nl", "fout")

    # when
    response = _sign_in(Client(REMOTE_ADDR="192.0.2.6"), "sanne@pollepel.nl")

    # then
    assert response.status_code == 302


# --- password reset ---------------------------------------------------------------------------


def test_a_reset_mail_in_dutch_is_sent_to_a_known_address(
    agent: Membership,
    mailoutbox: list[mail.EmailMessage],
    settings: Settings,
    run_tasks: Callable[[], int],
) -> None:
    # given
    settings.BALIE_BASE_URL = "https://balie.example.nl"

    # when
    response = Client().post(reverse("web:password_reset"), {"email": "SANNE@pollepel.nl"})

    # then the request only queued the mail; the worker sends it
    assert response.status_code == 302
    assert mailoutbox == []
    assert run_tasks() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sanne@pollepel.nl"]
    assert message.subject == "Kies een nieuw wachtwoord voor Balie"
    assert "https://balie.example.nl/app/password/reset/" in message.body
    assert "Heb je dit niet zelf gevraagd?" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    agent: Membership, mailoutbox: list[mail.EmailMessage], run_tasks: Callable[[], int]
) -> None:
    # given
    url = reverse("web:password_reset")

    # when
    known = Client().post(url, {"email": "sanne@pollepel.nl"})
    unknown = Client().post(url, {"email": "niemand@pollepel.nl"})
    run_tasks()

    # then
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [message.to for message in mailoutbox] == [["sanne@pollepel.nl"]]


def test_an_agent_invited_without_a_password_can_ask_for_a_link(
    shop: object, mailoutbox: list[mail.EmailMessage], run_tasks: Callable[[], int]
) -> None:
    # given
    User.objects.create_user("nieuw@pollepel.nl", None)

    # when
    Client().post(reverse("web:password_reset"), {"email": "nieuw@pollepel.nl"})
    run_tasks()

    # then
    assert len(mailoutbox) == 1


def test_the_link_in_the_reset_mail_sets_a_new_password(
    agent: Membership,
    mailoutbox: list[mail.EmailMessage],
    settings: Settings,
    run_tasks: Callable[[], int],
) -> None:
    # given
    settings.BALIE_BASE_URL = "http://testserver"
    client = Client()
    client.post(reverse("web:password_reset"), {"email": "sanne@pollepel.nl"})
    run_tasks()
    link = re.search(r"http://testserver(/app/password/reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    form_url = client.get(link.group(1))["Location"]

    # when
    response = client.post(
        form_url,
        {"new_password1": "Pannenkoek-met-stroop-42", "new_password2": "Pannenkoek-met-stroop-42"},
    )

    # then
    assert response["Location"] == reverse("web:password_reset_complete")
    agent.user.refresh_from_db()
    assert agent.user.check_password("Pannenkoek-met-stroop-42")
    reused = client.get(link.group(1))
    assert reused.status_code == 200
    assert "Deze link werkt niet meer" in reused.content.decode()


# --- two-factor sign-in -----------------------------------------------------------------------


def test_an_agent_turns_on_two_factor_with_a_first_code(agent_client: Client) -> None:
    # given
    agent_client.post(reverse("web:totp_setup_start"))
    page = agent_client.get(reverse("web:totp_setup"))
    device = TOTPDevice.objects.get(user__email="sanne@pollepel.nl")

    # when
    wrong = agent_client.post(reverse("web:totp_setup"), {"code": _wrong_code(device)})
    device.refresh_from_db()
    confirmed_after_wrong = device.confirmed
    device.throttle_reset()  # django-otp delays a retry after a failure; we retry at once
    right = agent_client.post(reverse("web:totp_setup"), {"code": _code(device)})

    # then
    assert "<svg" in page.content.decode()
    assert two_factor.totp_secret(device=device) in page.content.decode()
    assert "Deze code klopt niet" in wrong.content.decode()
    assert confirmed_after_wrong is False
    device.refresh_from_db()
    assert device.confirmed is True
    codes = list(
        StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert all(code in right.content.decode() for code in codes)
    assert not any(
        code in agent_client.get(reverse("web:account_security")).content.decode() for code in codes
    )


def test_sign_in_asks_for_a_code_before_the_agent_is_signed_in(agent: Membership) -> None:
    # given
    device, _codes = _two_factor_on(agent.user)
    client = Client()

    # when
    first = _sign_in(client, "sanne@pollepel.nl", next=reverse("web:account_security"))
    half_signed_in = _signed_in_user_id(client)
    dashboard_before = client.get(reverse("web:dashboard"))
    second = client.post(reverse("web:login_code"), {"code": _code(device)})

    # then
    assert first["Location"] == reverse("web:login_code")
    assert half_signed_in is None
    assert dashboard_before.status_code == 302
    assert second["Location"] == reverse("web:account_security")
    assert _signed_in_user_id(client) == agent.user.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("web:account_security")).status_code == 200


def test_a_wrong_code_is_refused(agent: Membership) -> None:
    # given
    device, _codes = _two_factor_on(agent.user)
    client = Client()
    _sign_in(client, "sanne@pollepel.nl")

    # when
    response = client.post(reverse("web:login_code"), {"code": _wrong_code(device)})

    # then
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_a_backup_code_works_once(agent: Membership) -> None:
    # given
    _device, codes = _two_factor_on(agent.user)
    first_client, second_client = Client(), Client()
    _sign_in(first_client, "sanne@pollepel.nl")
    _sign_in(second_client, "sanne@pollepel.nl")

    # when
    first = first_client.post(reverse("web:login_code"), {"code": codes[0].upper()})
    second = second_client.post(reverse("web:login_code"), {"code": codes[0]})

    # then
    assert first.status_code == 302
    assert _signed_in_user_id(first_client) == agent.user.pk
    assert second.status_code == 200
    assert _signed_in_user_id(second_client) is None


def test_code_attempts_are_throttled(agent: Membership) -> None:
    # given
    device, _codes = _two_factor_on(agent.user)
    client = Client()
    _sign_in(client, "sanne@pollepel.nl")
    for _attempt in range(3):
        client.post(reverse("web:login_code"), {"code": "nope-nope"})
    device.throttle_reset()

    # when
    response = client.post(reverse("web:login_code"), {"code": _code(device)})

    # then
    assert response.status_code == 429
    assert _signed_in_user_id(client) is None


def test_the_code_step_needs_the_password_first(agent: Membership) -> None:
    # when
    response = Client().post(reverse("web:login_code"), {"code": "123456"})

    # then
    assert response["Location"] == reverse("web:login")


def test_agent_pages_refuse_a_password_only_session_of_a_two_factor_user(
    agent: Membership,
) -> None:
    # given: signed in without the code, as the Django admin's sign-in would do
    _two_factor_on(agent.user)
    client = Client()
    client.force_login(agent.user)

    # when
    response = client.get(reverse("web:dashboard"))

    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_two_factor_is_turned_off_only_with_a_current_code(agent: Membership) -> None:
    # given
    device, codes = _two_factor_on(agent.user)
    client = Client()
    _sign_in(client, "sanne@pollepel.nl")
    client.post(reverse("web:login_code"), {"code": codes[0]})

    # when
    refused = client.post(reverse("web:two_factor_disable"), {"code": _wrong_code(device)})
    still_on = two_factor.two_factor_enabled(user=agent.user)
    device.throttle_reset()
    done = client.post(reverse("web:two_factor_disable"), {"code": _code(device)})

    # then
    assert refused.status_code == 200
    assert still_on is True
    assert done["Location"] == reverse("web:account_security")
    assert two_factor.two_factor_enabled(user=agent.user) is False


def test_new_backup_codes_replace_the_old_ones(agent: Membership) -> None:
    # given
    device, old_codes = _two_factor_on(agent.user)
    client = Client()
    client.force_login(agent.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    # when
    response = client.post(reverse("web:backup_codes_replace"), {"code": _code(device)})

    # then
    new_codes = set(
        StaticToken.objects.filter(device__user=agent.user).values_list("token", flat=True)
    )
    assert len(new_codes) == 10
    assert new_codes.isdisjoint(old_codes)
    assert all(code in response.content.decode() for code in new_codes)


def test_a_user_without_two_factor_is_not_asked_for_a_code(db: None) -> None:
    # given
    UserFactory(email="jan@pollepel.nl")
    client = Client()

    # when
    response = _sign_in(client, "jan@pollepel.nl")

    # then
    assert response["Location"] == reverse("web:dashboard")
    assert _signed_in_user_id(client) is not None


def test_reset_mails_to_one_address_stop_after_the_limit_but_the_page_stays_the_same(
    agent: Membership,
    mailoutbox: list[mail.EmailMessage],
    settings: Settings,
    run_tasks: Callable[[], int],
) -> None:
    # given
    settings.BALIE_LOGIN_MAX_FAILURES = 2
    url = reverse("web:password_reset")

    # when someone asks three times
    answers = [Client().post(url, {"email": "sanne@pollepel.nl"}) for _ in range(3)]
    run_tasks()

    # then every answer is the same page, and only two mails went out
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("web:password_reset_done"))
    }
    assert len(mailoutbox) == 2


def test_signing_in_makes_an_offline_agent_available_but_leaves_away_as_chosen(
    agent: Membership,
) -> None:
    # given
    away = MembershipFactory(user=agent.user, presence=Presence.AWAY)

    # when
    _sign_in(Client(), "sanne@pollepel.nl")

    # then
    agent.refresh_from_db()
    away.refresh_from_db()
    assert agent.presence == Presence.ONLINE
    assert agent.presence_seen_at is not None
    assert away.presence == Presence.AWAY
