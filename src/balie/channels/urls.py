"""The agent app's mailbox settings, under /app/instellingen/mailboxen/ (owners and admins)."""

from __future__ import annotations

from django.urls import path

from balie.channels import views

app_name = "mailboxes"

urlpatterns = [
    path("", views.mailbox_list, name="list"),
    path("nieuw/", views.mailbox_create, name="create"),
    path("<int:mailbox_id>/", views.mailbox_detail, name="detail"),
    path("<int:mailbox_id>/test/", views.mailbox_test, name="test"),
    path("<int:mailbox_id>/delete/", views.mailbox_delete, name="delete"),
    path("<int:mailbox_id>/geweigerd/", views.rejected_list, name="rejected"),
    path(
        "<int:mailbox_id>/geweigerd/<int:rejected_id>/",
        views.rejected_download,
        name="rejected_download",
    ),
]
