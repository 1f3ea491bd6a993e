"""The URL map: agent app, public help center, API, health checks and admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from balie.api.urls import api
from balie.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("balie.inbox.urls")),
    path("", include("balie.knowledge.urls")),
    path("", include("balie.assistant.widget_urls")),
    path("", include("balie.web.urls")),
]
