from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from balie.api.fields import SingleLineText

Event = Literal["conversation.created", "conversation.updated", "message.created"]


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    is_active: bool
    consecutive_failures: int = Field(description="Failed deliveries in a row (after retries)")
    disabled_reason: str = Field(description="Why Balie switched it off; blank otherwise")
    created_at: dt.datetime
    updated_at: dt.datetime


class WebhookWithSecretOut(WebhookOut):
    """Only the answers to create and rotate show the signing secret."""

    secret: str = Field(description="whsec_…: verify signatures with it (Standard Webhooks)")


class WebhookIn(Schema):
    model_config = ConfigDict(extra="forbid")

    url: SingleLineText = Field(max_length=2000, description="A public https address")
    events: list[Event] = Field(min_length=1, max_length=10)
    description: SingleLineText = Field("", max_length=200)


class WebhookPatch(Schema):
    """Changes to an endpoint; `is_active: true` switches it back on after failures."""

    model_config = ConfigDict(extra="forbid")

    url: SingleLineText | None = Field(None, max_length=2000)
    events: list[Event] | None = Field(None, min_length=1, max_length=10)
    description: SingleLineText | None = Field(None, max_length=200)
    is_active: bool | None = None


class DeliveryOut(Schema):
    id: int
    webhook_id: int = Field(alias="endpoint_id")
    event_id: uuid.UUID = Field(description="The webhook-id header, the same on every retry")
    event: str
    status: str = Field(description="pending, succeeded or failed")
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    response_status: int | None
    response_body: str = Field(description="The first 2,000 characters of the last answer")
    error: str
    duration_ms: int | None
    payload: dict[str, Any] = Field(description="The body sent: type, timestamp and data")
    created_at: dt.datetime
