"""The inbox's settings pages, under /app/instellingen/ (see `settings_views`, `macro_views`)."""

from __future__ import annotations

from django.urls import path

from balie.inbox import macro_views, settings_views

app_name = "inbox_settings"

urlpatterns = [
    path("sla/", settings_views.sla_list, name="sla"),
    path("sla/<int:policy_id>/", settings_views.sla_detail, name="sla_detail"),
    path("sla/<int:policy_id>/delete/", settings_views.sla_delete, name="sla_delete"),
    path("inbox/", settings_views.inbox_settings, name="inbox"),
    path("inbox/voorbeeld/", settings_views.inbox_settings_preview, name="inbox_preview"),
    path("labels/", settings_views.tag_list, name="tags"),
    path("labels/<int:tag_id>/", settings_views.tag_rename, name="tag_rename"),
    path("labels/<int:tag_id>/delete/", settings_views.tag_delete, name="tag_delete"),
    path("macros/", macro_views.macro_list, name="macros"),
    path("macros/nieuw/", macro_views.macro_create, name="macro_create"),
    path("macros/voorbeeld/", macro_views.macro_preview, name="macro_preview"),
    path("macros/<int:macro_id>/", macro_views.macro_detail, name="macro_detail"),
    path("macros/<int:macro_id>/delete/", macro_views.macro_delete, name="macro_delete"),
]
