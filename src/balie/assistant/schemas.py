from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from balie.api.fields import SingleLineText

LOCALE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"


class AssistantQuestionIn(Schema):
    """A shopper's question. `conversation_id` continues an earlier answer's conversation
    (an unknown one starts a new conversation); `email` and `name` let a hand-off become a
    conversation in the inbox without asking for them."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=20_000)
    locale: SingleLineText | None = Field(None, pattern=LOCALE_PATTERN)
    page_url: SingleLineText | None = Field(None, max_length=2_000)
    conversation_id: SingleLineText | None = Field(None, max_length=64)
    email: SingleLineText | None = Field(None, max_length=254)
    name: SingleLineText | None = Field(None, max_length=150)


class AssistantArticleOut(Schema):
    id: int
    key: str
    title: str
    locale: str


class AssistantAnswerOut(Schema):
    conversation_id: str
    answer: str
    article_ids: list[int]
    articles: list[AssistantArticleOut]
    confidence: float = Field(ge=0, le=1)
    handoff: bool
    reason: str = Field(
        description=(
            "Why it did not simply answer: empty_question, low_confidence, out_of_scope, "
            "asked_for_person, verification_failed, action_request (a verified request "
            "handed to a person); empty when it answered."
        )
    )
    outcome: str = Field(description="answered, clarify, verify, action, contact_needed or handoff")
    language: str
    action: dict[str, Any] | None = Field(
        description=(
            "What the client may show or do: choose (options), verify (fields), order_status "
            "(order), contact_needed (fields) or handoff (channel: chat for a live chat in "
            "the widget, else email; expected_response, expected_at, agents_available, "
            "intent)."
        )
    )
