"""Django admin for installation staff: conversations, messages and their trail, read mostly.

Agents work in the inbox itself; here staff look into a shop's data when supporting it.
Messages and events are read-only: the trail is only ever written by the inbox services.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from balie.inbox.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    InboxSettings,
    Message,
    Tag,
)


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "direction", "channel", "sender_address", "subject")


class EventInline(ReadOnlyInline):
    model = ConversationEvent
    fields = ("created_at", "kind", "actor", "data")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "__str__",
        "customer",
        "status",
        "priority",
        "assignee",
        "last_message_at",
        "shop",
    )
    list_filter = ("status", "priority", "channel", "shop")
    search_fields = ("reference", "subject", "customer__email")
    list_select_related = ("customer", "assignee__user", "shop")
    raw_id_fields = ("customer", "assignee", "team")
    filter_horizontal = ("tags",)
    readonly_fields = ("reference", "created_at", "updated_at")
    inlines = (MessageInline, EventInline)
    show_full_result_count = False


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("filename", "content_type", "size", "rejected_reason")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "direction", "channel", "is_automated", "created_at", "shop")
    list_filter = ("direction", "channel", "is_automated", "shop")
    search_fields = ("external_id", "sender_address", "subject")
    list_select_related = ("shop",)
    inlines = (AttachmentInline,)
    show_full_result_count = False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "shop")
    list_filter = ("shop",)
    search_fields = ("name",)


@admin.register(InboxSettings)
class InboxSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "thread_window_hours")
