from __future__ import annotations

from django.urls import path

from balie.knowledge import app_views

app_name = "knowledge_app"

urlpatterns = [
    path("", app_views.article_list, name="list"),
    path("nieuw/", app_views.article_create, name="create"),
    path("voorbeeld/", app_views.markdown_preview, name="preview"),
    path("bijlagen/<int:attachment_id>/", app_views.attachment_download, name="attachment"),
    path(
        "bijlagen/<int:attachment_id>/verwijderen/",
        app_views.attachment_delete,
        name="attachment_delete",
    ),
    path("<slug:article_key>/<slug:locale>/", app_views.article_edit, name="edit"),
    path(
        "<slug:article_key>/<slug:locale>/bijlagen/",
        app_views.attachment_add,
        name="attachment_add",
    ),
    path(
        "<slug:article_key>/<slug:locale>/versies/<int:number>/",
        app_views.version_detail,
        name="version",
    ),
    path(
        "<slug:article_key>/<slug:locale>/versies/<int:number>/terugzetten/",
        app_views.version_restore,
        name="restore",
    ),
]
