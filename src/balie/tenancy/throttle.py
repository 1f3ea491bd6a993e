"""Sign-in throttling: failed attempts counted in the Django cache.

Password attempts are counted per email address and per client IP, second-factor codes per
user. A counter starts at the first failure and lives for `BALIE_LOGIN_WINDOW_SECONDS`; the
failure that reaches `BALIE_LOGIN_MAX_FAILURES` locks it for a full window from then on. While
locked every attempt is refused before the password or code is checked, even a correct one,
so guessing gains nothing. With `REDIS_URL` set the counters are shared by all web replicas.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy the ASGI server (uvicorn with `proxy_headers` and
    FORWARDED_ALLOW_IPS) has already put the real client address here."""
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_minutes() -> int:
    return math.ceil(settings.BALIE_LOGIN_WINDOW_SECONDS / 60)


def login_blocked(*, email: str, ip: str) -> bool:
    return _blocked(_key("email", email), _key("ip", ip))


def login_failed(*, email: str, ip: str) -> None:
    _fail(_key("email", email), _key("ip", ip))


def login_succeeded(*, email: str) -> None:
    """The right password for `email`: its failures are forgiven (the IP's are not)."""
    cache.delete(_key("email", email))


def code_blocked(*, user_id: int) -> bool:
    return _blocked(_key("code", str(user_id)))


def code_failed(*, user_id: int) -> None:
    _fail(_key("code", str(user_id)))


def code_succeeded(*, user_id: int) -> None:
    cache.delete(_key("code", str(user_id)))


def reset_mail_allowed(*, email: str, ip: str) -> bool:
    """Count a password-reset request; False once the address or IP asked too often.

    The page answers the same either way (no account enumeration); only the mail is held back,
    so nobody can flood an agent's inbox with reset links.
    """
    keys = (_key("reset-email", email), _key("reset-ip", ip))
    if _blocked(*keys):
        return False
    _fail(*keys)
    return True


def _key(scope: str, value: str) -> str:
    # Hashed, so email addresses (personal data) never appear in cache keys or Redis dumps.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"balie:login-failures:{scope}:{digest}"


def _blocked(*keys: str) -> bool:
    limit = settings.BALIE_LOGIN_MAX_FAILURES
    return any(int(count) >= limit for count in cache.get_many(keys).values())


def _fail(*keys: str) -> None:
    window = settings.BALIE_LOGIN_WINDOW_SECONDS
    for key in keys:
        cache.add(key, 0, timeout=window)  # starts the window at the first failure
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this failure starts a new window
            cache.set(key, 1, timeout=window)
            count = 1
        if count >= settings.BALIE_LOGIN_MAX_FAILURES:
            cache.touch(key, timeout=window)
