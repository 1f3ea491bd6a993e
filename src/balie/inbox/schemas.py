"""The inbox's API shapes: conversations, messages, events, notes, tags and macros.

`ConversationOut` and `MessageOut` are also the `data` of outgoing webhooks
(`inbox.payloads`), so a webhook body holds exactly what the API answers for that object.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, StringConstraints, field_validator

from balie.api.fields import SingleLineText
from balie.inbox.models import Attachment, ConversationStatus, Direction, Priority, SlaState
from balie.tenancy.models import ContactChannel

TAG_NAME_MAX = 50  # Tag.name's max_length
TagName = Annotated[
    SingleLineText, StringConstraints(strip_whitespace=True, min_length=1, max_length=TAG_NAME_MAX)
]


class ConversationCustomerOut(Schema):
    id: int
    email: str
    phone: str
    first_name: str
    last_name: str
    external_id: str


class ConversationOut(Schema):
    id: int
    reference: str = Field(description='Shown in email subjects as "[#K7M2QX9A]"')
    subject: str
    status: ConversationStatus
    priority: Priority
    channel: ContactChannel = Field(description="The channel of the first message")
    channel_account: str = Field(description="The shop's address the customer wrote to")
    customer: ConversationCustomerOut
    assignee_id: int | None
    team_id: int | None
    tags: list[str]
    topic: str
    language: str
    snoozed_until: dt.datetime | None
    last_message_at: dt.datetime
    first_response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    sla_due_at: dt.datetime | None = Field(description="The next deadline of a running clock")
    sla_first_response_state: SlaState
    sla_resolution_state: SlaState
    first_responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    merged_into_id: int | None
    csat_score: int | None
    csat_comment: str
    csat_rated_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(conversation: Any) -> list[str]:
        return [tag.name for tag in conversation.tags.all()]


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    content_id: str
    rejected_reason: str = Field(description="Why the file was not kept; then no download")
    download_url: str | None

    @staticmethod
    def resolve_download_url(attachment: Attachment) -> str | None:
        if attachment.is_rejected or not attachment.file:
            return None
        path = reverse("api:attachment_download", kwargs={"attachment_id": attachment.pk})
        return settings.BALIE_BASE_URL + path


class MessageOut(Schema):
    id: int
    conversation_id: int
    direction: Direction
    channel: str = Field(description="Blank for internal notes")
    sender_address: str
    sender_name: str
    author_id: int | None = Field(description="The agent who wrote it (outbound and notes)")
    subject: str
    text: str
    html: str = Field(description="Sanitised HTML; blank when the message had none")
    external_id: str
    in_reply_to: str
    is_automated: bool
    automated_reason: str
    language: str
    sent_at: dt.datetime | None
    delivery_status: str = Field(description="Outbound only: queued, sent or failed")
    delivery_error: str
    attachments: list[AttachmentOut]
    created_at: dt.datetime


class EventOut(Schema):
    id: int
    kind: str
    actor_id: int | None = Field(description="The agent; null for the system or the customer")
    data: dict[str, Any]
    created_at: dt.datetime


class ConversationFilters(Schema):
    """The query parameters of the conversation list."""

    status: list[ConversationStatus] = Field(
        default_factory=list, description="One or more, repeated or comma-separated"
    )
    priority: list[Priority] = Field(
        default_factory=list, description="One or more, repeated or comma-separated"
    )
    tag: list[TagName] = Field(
        default_factory=list, max_length=5, description="Has every one of these tags"
    )
    q: SingleLineText = Field(
        "", max_length=200, description="Words in subject, reference, customer name or email"
    )
    customer_email: SingleLineText = Field(
        "", max_length=254, description="The customer's email address"
    )
    customer_id: int | None = None
    assignee_id: int | None = Field(None, description="Assigned to this agent")
    assignee: Literal["me", "none"] | None = Field(
        None, description="me: the signed-in agent; none: nobody"
    )
    team_id: int | None = None
    channel: ContactChannel | None = None
    updated_since: AwareDatetime | None = Field(
        None, description="Changed at or after this moment (ISO 8601 with a zone)"
    )
    sla: Literal["breaching", "breached"] | None = Field(
        None, description="breaching: an SLA clock warns; breached: one ran out"
    )
    ordering: Literal[
        "-last_message_at",
        "last_message_at",
        "sla_due_at",
        "-updated_at",
        "updated_at",
        "-created_at",
        "created_at",
    ] = "-last_message_at"

    @field_validator("status", "priority", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        """`status=open,pending` means the same as `status=open&status=pending`."""
        items = value if isinstance(value, list) else [value]
        return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


class ConversationPatch(Schema):
    """Changes to a conversation: each field sent is changed by its own service (and leaves
    its own event); all of them or none."""

    model_config = ConfigDict(extra="forbid")

    status: ConversationStatus | None = None
    snoozed_until: AwareDatetime | None = Field(
        None, description="With status snoozed: when the conversation comes back"
    )
    priority: Priority | None = None
    assignee_id: int | None = Field(None, description="An agent of the shop; null: nobody")
    team_id: int | None = Field(None, description="A team of the shop; null: no team")
    add_tags: list[TagName] = Field(default_factory=list, max_length=50)
    remove_tags: list[TagName] = Field(default_factory=list, max_length=50)


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=50_000)
    author_id: int | None = Field(
        None, description="API keys only: the agent the note is by (sessions write as themselves)"
    )


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=100_000)
    author_id: int | None = Field(
        None, description="API keys only: the agent the reply is by (sessions write as themselves)"
    )
    resolve: bool = Field(False, description="Resolve the conversation after the reply")


class TagOut(Schema):
    id: int
    name: str
    conversation_count: int
    created_at: dt.datetime


class TagIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: TagName


MacroStatus = Literal["", "open", "pending", "resolved", "closed"]
MacroPriority = Literal["", "low", "normal", "high", "urgent"]


class MacroOut(Schema):
    id: int
    name: str
    body: str = Field(description="The text with placeholders such as {{ customer.first_name }}")
    personal: bool = Field(description="Only its owner sees it")
    owner_id: int | None
    set_status: str
    set_priority: str
    add_tags: list[str]
    set_team_id: int | None
    is_active: bool
    usage_count: int
    last_used_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_personal(macro: Any) -> bool:
        return macro.owner_id is not None


class MacroIn(Schema):
    """A macro. Placeholders: see `inbox.macros.PLACEHOLDERS`; `{{ name|default:"…" }}` for a
    text when the value is empty."""

    model_config = ConfigDict(extra="forbid")

    name: SingleLineText = Field(min_length=1, max_length=80)
    body: str = Field("", max_length=20_000)
    personal: bool = Field(
        False, description="Only for the signed-in agent; API keys make shared macros"
    )
    set_status: MacroStatus = ""
    set_priority: MacroPriority = ""
    add_tags: list[TagName] = Field(default_factory=list, max_length=20)
    set_team_id: int | None = None
    is_active: bool = True


class MacroPatch(Schema):
    """Changes to a macro; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: SingleLineText | None = Field(None, min_length=1, max_length=80)
    body: str | None = Field(None, max_length=20_000)
    set_status: MacroStatus | None = None
    set_priority: MacroPriority | None = None
    add_tags: list[TagName] | None = Field(None, max_length=20)
    set_team_id: int | None = None
    is_active: bool | None = None


class MacroRenderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conversation_id: int


class MacroRenderOut(Schema):
    text: str
