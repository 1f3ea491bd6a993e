"""Two-factor sign-in: an authenticator app (TOTP) plus single-use backup codes, on django-otp.

A user has two-factor sign-in on while they have a confirmed device. Setting it up creates an
unconfirmed TOTP device; the first correct code from the app confirms it and creates
`BACKUP_CODE_COUNT` backup codes (an otp_static device) that are shown once.
"""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.tenancy.models import User

BACKUP_CODE_COUNT = 10
_TOTP_CODE_LENGTH = 6


def two_factor_enabled(*, user: User | Any) -> bool:
    return bool(django_otp.user_has_device(user, confirmed=True))


def fully_signed_in(request: HttpRequest) -> bool:
    """Signed in, and with a verified code when the user has two-factor sign-in on.

    A password-only session of a 2FA user (e.g. from an old admin sign-in) does not count.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    verified: bool = user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
    return verified or not two_factor_enabled(user=user)


def totp_device_pending(*, user: User) -> TOTPDevice | None:
    """The authenticator device whose setup `user` started but has not confirmed yet."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def backup_codes_left(*, user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed authenticator device with a new secret; an earlier unfinished
    setup is discarded, so only the QR code shown last works."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> list[str]:
    """Turn two-factor sign-in on with a device whose first code was verified.

    Returns the new backup codes: the only time they are readable in full.
    """
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_replace(user=device.user)


@transaction.atomic
def backup_codes_replace(*, user: User) -> list[str]:
    """`BACKUP_CODE_COUNT` new single-use codes; the previous ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _index in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Remove every device of `user`: sign-in asks for the password only again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def code_verify(*, user: User, code: str, device: TOTPDevice | None = None) -> Device | None:
    """The device that accepts `code`, or None.

    Without `device`, six digits are checked against the user's confirmed authenticator app
    and anything else against their backup codes (a backup code is used up by this call).
    Devices lock their rows while verifying, so one code cannot be used twice concurrently;
    django-otp's own per-device delay after failures applies as well.
    """
    code = "".join(code.split()).lower()
    if not code:
        return None
    with transaction.atomic():
        if device is not None:
            candidates: Any = TOTPDevice.objects.filter(pk=device.pk, user=user)
        elif code.isdigit() and len(code) == _TOTP_CODE_LENGTH:
            candidates = TOTPDevice.objects.devices_for_user(user, confirmed=True)
        else:
            candidates = StaticDevice.objects.devices_for_user(user, confirmed=True)
        for candidate in candidates.select_for_update():
            if candidate.verify_token(code):
                return candidate
    return None


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The device's otpauth:// link as an inline SVG QR code, for the authenticator app."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR-code voor je authenticator-app")
    )
    return svg


def totp_secret(*, device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))
