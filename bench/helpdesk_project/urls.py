"""helpdesk's own URLs: its notification mails link to tickets by URL name."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
