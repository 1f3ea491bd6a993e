"""The learning loop's one click in a conversation: an agent's answer becomes a draft article
in the knowledge base (the shopper's question before it as the title)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from balie.inbox import selectors, text
from balie.inbox.models import Direction
from balie.knowledge import services as knowledge_services
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import Role


@require_POST
@agent_required(Role.AGENT)
def message_to_article(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    membership = request_membership(request)
    shop = membership.shop
    conversation = selectors.access_conversation(shop=shop, conversation_id=conversation_id)
    messages = list(selectors.message_list(shop=shop, conversation=conversation).order_by("pk"))
    answer = next((m for m in messages if m.pk == message_id), None)
    if answer is None or answer.direction != Direction.OUTBOUND:
        raise Http404("no such answer")
    question = next(
        (m for m in reversed(messages) if m.pk < answer.pk and m.direction == Direction.INBOUND),
        None,
    )
    # The shopper's own words, without the quoted history under them.
    asked = (text.split_reply(question.text)[0] or question.subject) if question else ""
    draft = knowledge_services.article_draft_from_answer(
        shop=shop,
        question=asked or conversation.subject,
        answer=answer.text,
        locale=(question.language if question and question.language else shop.default_locale),
        author=membership,
        source=f"#{conversation.reference}",
    )
    return redirect(
        reverse(
            "web:knowledge_app:edit",
            kwargs={"article_key": draft.article.key, "locale": draft.locale},
        )
    )
