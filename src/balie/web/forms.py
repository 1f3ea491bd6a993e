"""Forms of the agent's account: sign-in, second-factor code, password reset, API keys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm, SetPasswordMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.core import tasks as core_tasks
from balie.tenancy import throttle, two_factor
from balie.tenancy.models import User


def _throttled_error() -> ValidationError:
    minutes = throttle.lockout_minutes()
    message = ngettext(
        "Te veel mislukte pogingen. Wacht %(minutes)s minuut en probeer het dan opnieuw.",
        "Te veel mislukte pogingen. Wacht %(minutes)s minuten en probeer het dan opnieuw.",
        minutes,
    ) % {"minutes": minutes}
    return ValidationError(message, code="throttled")


class SignInForm(forms.Form):
    """Email and password; counts failures and refuses attempts while locked out."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User  # set by a successful clean()
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("email", "").lower(), cleaned.get("password")
        if not email or not password:
            return cleaned
        ip = throttle.client_ip(self.request)
        if throttle.login_blocked(email=email, ip=ip):
            raise _throttled_error()
        user = authenticate(self.request, email=email, password=password)
        if user is None:  # wrong address, wrong password or inactive: one answer for all
            throttle.login_failed(email=email, ip=ip)
            raise ValidationError(
                _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw."),
                code="invalid_login",
            )
        throttle.login_succeeded(email=email)
        self.user = user
        return cleaned

    @property
    def throttled(self) -> bool:
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, "throttled")


class CodeForm(forms.Form):
    """A code from the authenticator app or a backup code; throttled per user.

    With `device` only that (not yet confirmed) device is asked: the first code during setup.
    """

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("De 6 cijfers uit je authenticator-app, of een van je back-upcodes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(
        self, *args: Any, user: User, device: TOTPDevice | None = None, **kwargs: Any
    ) -> None:
        self.user = user
        self.pending_device = device
        self.device: Device | None = None
        super().__init__(*args, **kwargs)
        if device is not None:
            self.fields["code"].help_text = _("De 6 cijfers die je app nu laat zien.")

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if throttle.code_blocked(user_id=self.user.pk):
            raise _throttled_error()
        self.device = two_factor.code_verify(user=self.user, code=code, device=self.pending_device)
        if self.device is None:
            throttle.code_failed(user_id=self.user.pk)
            raise ValidationError(
                _("Deze code klopt niet. Kijk of je de nieuwste code hebt en probeer het opnieuw."),
                code="invalid_code",
            )
        throttle.code_succeeded(user_id=self.user.pk)
        return code

    @property
    def throttled(self) -> bool:
        return self.is_bound and self.has_error("code", "throttled")


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, Dutch, with absolute links to BALIE_BASE_URL.

    Agents invited without a password (unusable password) may ask for a link too: the
    invitation link expires, and this is how they get a new one.
    """

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str) -> Any:
        if not throttle.reset_mail_allowed(email=email, ip=self.client_ip):
            return User.objects.none()
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]  # Django passes all by name
        request: HttpRequest | None = kwargs.get("request")
        self.client_ip = throttle.client_ip(request) if request is not None else ""
        super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """Render the mail now, send it from the worker (`system_mail_send`)."""
        context["base_url"] = settings.BALIE_BASE_URL
        context["valid_hours"] = settings.PASSWORD_RESET_TIMEOUT // 3600
        user: User = context["user"]
        with translation.override(user.language or translation.get_language()):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        core_tasks.system_mail_send.enqueue(to=[user.email], subject=subject, body=body)


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]  # stubs make it generic
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1=_("Nieuw wachtwoord"), label2=_("Herhaal je nieuwe wachtwoord")
    )


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=80,
        help_text=_("Waarvoor gebruik je de sleutel? Bijvoorbeeld: koppeling met de webshop."),
    )
