"""Agent sign-in, sign-out, password reset, two-factor authentication and API keys under /app/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from balie.web import account_views, forms

urlpatterns = [
    path("app/login/", account_views.login, name="login"),
    path("app/login/code/", account_views.login_code, name="login_code"),
    path("app/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "app/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetRequestForm,
            template_name="web/account/password_reset_form.html",
            subject_template_name="registration/agent_password_reset_subject.txt",
            email_template_name="registration/agent_password_reset_email.txt",
            success_url=reverse_lazy("web:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "app/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="web/account/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "app/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.NewPasswordForm,
            template_name="web/account/password_reset_confirm.html",
            success_url=reverse_lazy("web:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "app/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/account/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("app/account/security/", account_views.security, name="account_security"),
    path(
        "app/account/security/totp/start/",
        account_views.totp_setup_start,
        name="totp_setup_start",
    ),
    path("app/account/security/totp/", account_views.totp_setup, name="totp_setup"),
    path(
        "app/account/security/backup-codes/",
        account_views.backup_codes_replace,
        name="backup_codes_replace",
    ),
    path(
        "app/account/security/disable/",
        account_views.two_factor_disable,
        name="two_factor_disable",
    ),
    path("app/account/api-keys/", account_views.api_keys, name="api_keys"),
    path(
        "app/account/api-keys/<int:key_id>/revoke/",
        account_views.api_key_revoke,
        name="api_key_revoke",
    ),
]
