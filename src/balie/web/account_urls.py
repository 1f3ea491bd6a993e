"""Agent sign-in, sign-out, password reset and two-factor authentication under /app/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("app/login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("app/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "app/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
