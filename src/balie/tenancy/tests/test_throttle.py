from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from pytest_django import Settings

from balie.tenancy import throttle

WINDOW = 600


@pytest.fixture(autouse=True)
def _limits(settings: Settings) -> Iterator[None]:
    settings.BALIE_LOGIN_MAX_FAILURES = 3
    settings.BALIE_LOGIN_WINDOW_SECONDS = WINDOW
    cache.clear()
    yield
    cache.clear()


def _fail(times: int, *, email: str = "sanne@pollepel.nl", ip: str = "192.0.2.1") -> None:
    for _attempt in range(times):
        throttle.login_failed(email=email, ip=ip)


def test_an_address_is_not_blocked_below_the_limit() -> None:
    # given
    _fail(2)

    # when
    blocked = throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99")

    # then
    assert blocked is False


def test_an_address_is_blocked_from_every_ip_once_it_reaches_the_limit() -> None:
    # given
    _fail(3, ip="192.0.2.1")

    # when
    blocked = throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99")

    # then
    assert blocked is True


def test_the_address_is_counted_without_regard_to_letter_case() -> None:
    # given
    _fail(3, email="Sanne@Pollepel.NL")

    # when
    blocked = throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99")

    # then
    assert blocked is True


def test_an_ip_is_blocked_for_every_address_once_it_reaches_the_limit() -> None:
    # given
    for email in ("a@pollepel.nl", "b@pollepel.nl", "c@pollepel.nl"):
        _fail(1, email=email, ip="198.51.100.7")

    # when
    blocked_here = throttle.login_blocked(email="d@pollepel.nl", ip="198.51.100.7")
    blocked_elsewhere = throttle.login_blocked(email="d@pollepel.nl", ip="198.51.100.8")

    # then
    assert blocked_here is True
    assert blocked_elsewhere is False


def test_a_success_forgives_the_address_but_not_the_ip() -> None:
    # given
    _fail(3, ip="198.51.100.7")

    # when
    throttle.login_succeeded(email="sanne@pollepel.nl")

    # then
    assert throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99") is False
    assert throttle.login_blocked(email="other@pollepel.nl", ip="198.51.100.7") is True


def test_the_lock_lasts_a_full_window_from_the_failure_that_reached_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: one failure, then two more just before that first failure's window ends
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    _fail(1)
    monkeypatch.setattr(time, "time", lambda: start + WINDOW - 10)
    _fail(2)

    # when: the first failure's window has passed, the locking failure's has not
    monkeypatch.setattr(time, "time", lambda: start + WINDOW + 10)
    still_blocked = throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99")
    monkeypatch.setattr(time, "time", lambda: start + 2 * WINDOW)
    blocked_later = throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99")

    # then
    assert still_blocked is True
    assert blocked_later is False


def test_failures_below_the_limit_are_forgotten_after_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    _fail(2)

    # when
    monkeypatch.setattr(time, "time", lambda: start + WINDOW + 1)
    _fail(1)

    # then
    assert throttle.login_blocked(email="sanne@pollepel.nl", ip="192.0.2.99") is False


def test_code_attempts_are_counted_per_user() -> None:
    # given
    for _attempt in range(3):
        throttle.code_failed(user_id=7)

    # when
    blocked, other_blocked = throttle.code_blocked(user_id=7), throttle.code_blocked(user_id=8)
    throttle.code_succeeded(user_id=7)

    # then
    assert (blocked, other_blocked) == (True, False)
    assert throttle.code_blocked(user_id=7) is False


def test_the_lockout_is_told_in_whole_minutes(settings: Settings) -> None:
    # given
    settings.BALIE_LOGIN_WINDOW_SECONDS = 61

    # when
    minutes = throttle.lockout_minutes()

    # then
    assert minutes == 2
