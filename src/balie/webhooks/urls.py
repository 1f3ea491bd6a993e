"""The agent app's webhook settings, under /app/instellingen/webhooks/ (owners and admins)."""

from __future__ import annotations

from django.urls import path

from balie.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("<int:webhook_id>/", views.webhook_detail, name="detail"),
    path("<int:webhook_id>/test/", views.webhook_test, name="test"),
    path("<int:webhook_id>/rotate/", views.webhook_rotate, name="rotate"),
    path("<int:webhook_id>/active/", views.webhook_toggle, name="toggle"),
    path("<int:webhook_id>/delete/", views.webhook_delete, name="delete"),
    path(
        "<int:webhook_id>/deliveries/<int:delivery_id>/retry/",
        views.webhook_delivery_retry,
        name="retry",
    ),
]
