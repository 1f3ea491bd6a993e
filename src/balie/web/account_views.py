"""The agent's account: sign-in (with an optional second step), two-factor setup, API keys.

Password reset and sign-out are Django's own views, configured in `account_urls`.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from balie.tenancy import presence, two_factor
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy import services as tenancy_services
from balie.tenancy.current import agent_required
from balie.tenancy.models import Role, User
from balie.web import forms

# Between the password and the code the session holds who is half signed in, not a login.
PENDING_SESSION_KEY = "balie_two_factor_pending"
PENDING_MAX_AGE_SECONDS = 5 * 60
# The security page has two code forms; their own id prefixes keep label/input ids unique.
DISABLE_FORM_ID = "id_disable_%s"
REPLACE_FORM_ID = "id_replace_%s"


@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = forms.SignInForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        user = form.user
        if two_factor.two_factor_enabled(user=user):
            _pending_start(request, user=user, next_url=next_url)
            return redirect("web:login_code")
        auth.login(request, user)
        presence.agent_signed_in(user=user)
        return redirect(_safe_next(request, next_url))
    context = {"form": form, "next": next_url}
    return render(request, "web/login.html", context, status=429 if form.throttled else 200)


@sensitive_post_parameters("code")
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the user is signed in only once the code checks out."""
    pending, user = _pending_user(request)
    if user is None:
        return redirect("web:login")
    form = forms.CodeForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_bound and form.is_valid():
        del request.session[PENDING_SESSION_KEY]
        auth.login(request, user, backend=pending["backend"])
        django_otp.login(request, form.device)
        presence.agent_signed_in(user=user)
        return redirect(_safe_next(request, pending["next"]))
    context = {"form": form}
    return render(request, "web/account/login_code.html", context, status=_status(form))


@agent_required()
def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


@require_POST
@agent_required()
def totp_setup_start(request: HttpRequest) -> HttpResponse:
    if not two_factor.two_factor_enabled(user=request.user):
        two_factor.totp_device_start(user=request.user)  # type: ignore[arg-type]  # signed in
    return redirect("web:totp_setup")


@sensitive_post_parameters("code")
@never_cache
@agent_required()
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, then confirm with the first code; shows the backup codes once."""
    user: User = request.user  # type: ignore[assignment]  # agent_required: signed in
    device = two_factor.totp_device_pending(user=user)
    if device is None or two_factor.two_factor_enabled(user=user):
        return redirect("web:account_security")
    data = request.POST if request.method == "POST" else None
    form = forms.CodeForm(data, user=user, device=device)
    if form.is_bound and form.is_valid():
        codes = two_factor.totp_device_confirm(device=device)
        django_otp.login(request, device)  # this session is the one that proved the code
        return render(request, "web/account/backup_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr_svg": two_factor.totp_qr_svg(device=device),
        "secret": two_factor.totp_secret(device=device),
    }
    return render(request, "web/account/totp_setup.html", context, status=_status(form))


@sensitive_post_parameters("code")
@never_cache
@require_POST
@agent_required()
def backup_codes_replace(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # agent_required: signed in
    form = forms.CodeForm(request.POST, user=user, auto_id=REPLACE_FORM_ID)
    if not (two_factor.two_factor_enabled(user=user) and form.is_valid()):
        return _security_page(request, replace_form=form)
    codes = two_factor.backup_codes_replace(user=user)
    return render(request, "web/account/backup_codes.html", {"codes": codes})


@sensitive_post_parameters("code")
@require_POST
@agent_required()
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turning two-factor sign-in off takes a current code, not just a signed-in browser."""
    user: User = request.user  # type: ignore[assignment]  # agent_required: signed in
    form = forms.CodeForm(request.POST, user=user, auto_id=DISABLE_FORM_ID)
    if not form.is_valid():
        return _security_page(request, disable_form=form)
    two_factor.two_factor_disable(user=user)
    return redirect("web:account_security")


@never_cache  # the new key is on this page once; no cache may keep it
@agent_required(Role.ADMIN)
def api_keys(request: HttpRequest) -> HttpResponse:
    shop = request.membership.shop  # type: ignore[attr-defined]  # set by agent_required
    form = forms.ApiKeyCreateForm(request.POST if request.method == "POST" else None)
    new_key = None
    if form.is_bound and form.is_valid():
        _key, new_key = tenancy_services.api_key_create(
            shop=shop,
            name=form.cleaned_data["name"],
            created_by=request.user,  # type: ignore[arg-type]  # agent_required: signed in
        )
        form = forms.ApiKeyCreateForm()
    context = {
        "form": form,
        "new_key": new_key,
        "keys": tenancy_selectors.api_key_list(shop=shop),
    }
    return render(request, "web/account/api_keys.html", context)


@require_POST
@agent_required(Role.ADMIN)
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    shop = request.membership.shop  # type: ignore[attr-defined]  # set by agent_required
    key = tenancy_selectors.access_api_key(shop=shop, key_id=key_id)
    tenancy_services.api_key_revoke(shop=shop, key_id=key.pk)
    return redirect("web:api_keys")


def _security_page(
    request: HttpRequest,
    *,
    disable_form: forms.CodeForm | None = None,
    replace_form: forms.CodeForm | None = None,
) -> HttpResponse:
    """The security page; a form is passed in with its errors when its POST failed."""
    user: User = request.user  # type: ignore[assignment]  # agent_required: signed in
    disable_form = disable_form or forms.CodeForm(user=user, auto_id=DISABLE_FORM_ID)
    replace_form = replace_form or forms.CodeForm(user=user, auto_id=REPLACE_FORM_ID)
    context = {
        "enabled": two_factor.two_factor_enabled(user=user),
        "backup_codes_left": two_factor.backup_codes_left(user=user),
        "disable_form": disable_form,
        "replace_form": replace_form,
    }
    throttled = disable_form.throttled or replace_form.throttled
    return render(request, "web/account/security.html", context, status=429 if throttled else 200)


def _status(form: forms.CodeForm) -> int:
    return 429 if form.throttled else 200


def _safe_next(request: HttpRequest, next_url: str) -> str:
    """`next_url` when it stays on this site, else the dashboard (no open redirects)."""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _pending_start(request: HttpRequest, *, user: User, next_url: str) -> None:
    request.session.cycle_key()  # a fresh session id once the password has been proven
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "since": int(time.time()),
    }


def _pending_user(request: HttpRequest) -> tuple[dict[str, Any], User | None]:
    """Who proved their password in this session less than five minutes ago, if anyone."""
    pending: dict[str, Any] = request.session.get(PENDING_SESSION_KEY) or {}
    user_id: int | None = pending.get("user_id")
    if user_id is None or time.time() - pending["since"] > PENDING_MAX_AGE_SECONDS:
        return pending, None
    return pending, User.objects.filter(pk=user_id, is_active=True).first()
