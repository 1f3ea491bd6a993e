"""The agent workspace under /app/inbox/ (and the agent's notifications)."""

from __future__ import annotations

from django.urls import path

from balie.inbox import article_views, views

app_name = "inbox"

urlpatterns = [
    path("app/inbox/", views.inbox, name="list"),
    path("app/inbox/bulk/", views.bulk, name="bulk"),
    path("app/inbox/<int:conversation_id>/", views.conversation, name="conversation"),
    path("app/inbox/<int:conversation_id>/note/", views.note, name="note"),
    path("app/inbox/<int:conversation_id>/reply/", views.reply, name="reply"),
    path(
        "app/inbox/<int:conversation_id>/macros/<int:macro_id>/",
        views.macro_render,
        name="macro_render",
    ),
    path("app/inbox/<int:conversation_id>/status/", views.status, name="status"),
    path("app/inbox/<int:conversation_id>/assign/", views.assign, name="assign"),
    path("app/inbox/<int:conversation_id>/team/", views.team, name="team"),
    path("app/inbox/<int:conversation_id>/priority/", views.priority, name="priority"),
    path("app/inbox/<int:conversation_id>/tags/", views.tags, name="tags"),
    path("app/inbox/<int:conversation_id>/merge/", views.merge, name="merge"),
    path(
        "app/inbox/<int:conversation_id>/messages/<int:message_id>/split/",
        views.split,
        name="split",
    ),
    path(
        "app/inbox/<int:conversation_id>/messages/<int:message_id>/artikel/",
        article_views.message_to_article,
        name="to_article",
    ),
    path("app/inbox/bijlagen/<int:attachment_id>/", views.attachment, name="attachment"),
    path("app/meldingen/", views.notifications, name="notifications"),
    path("app/meldingen/gelezen/", views.notifications_read, name="notifications_read"),
]
