"""/api/v1/assistant"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Router

from balie.api.auth import principal
from balie.assistant import services
from balie.assistant.schemas import AssistantAnswerOut, AssistantQuestionIn
from balie.tenancy.models import Shop

router = Router(tags=["assistant"])


@router.post("answer", response=AssistantAnswerOut, operation_id="assistant_answer")
def assistant_answer(request: HttpRequest, payload: AssistantQuestionIn) -> dict[str, Any]:
    """Answer a shopper's question from the knowledge base, do a self-service action, ask to
    clarify, or hand off to a person with the transcript (see `outcome` and `action`)."""
    return answer_body(answer_for(shop=principal(request).shop, payload=payload, channel="api"))


def answer_for(
    *, shop: Shop, payload: AssistantQuestionIn, channel: str, client_key: str = ""
) -> services.Answer:
    """The assistant's answer to a validated question, for the API and the widget alike."""
    return services.assistant_answer(
        shop=shop,
        question=payload.question,
        locale=payload.locale or "",
        page_url=payload.page_url or "",
        conversation_id=payload.conversation_id or "",
        email=payload.email or "",
        name=payload.name or "",
        channel=channel,
        client_key=client_key,
    )


def answer_body(answer: services.Answer) -> dict[str, Any]:
    """An answer as JSON (`AssistantAnswerOut`): this route's and the shopper widget's."""
    reply = answer.reply
    return {
        "conversation_id": answer.conversation_id,
        "answer": reply.answer,
        "article_ids": [article.id for article in reply.articles],
        "articles": [dataclasses.asdict(article) for article in reply.articles],
        "confidence": round(reply.confidence, 4),
        "handoff": reply.handoff,
        "reason": reply.reason,
        "outcome": str(reply.outcome),
        "language": answer.language,
        "action": reply.action,
    }
