"""The assistant's learning loop in the agent app: knowledge gaps (/app/kennisbank/lacunes/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balie.assistant import confidence, gaps, intents, retrieval, services
from balie.knowledge import index as knowledge_index
from balie.tenancy.current import agent_required, request_membership

PERIODS = (7, 30, 90)
TRY_CHARS = 1_000


@agent_required()
def gap_list(request: HttpRequest) -> HttpResponse:
    """What shoppers asked that the knowledge base did not answer, grouped and counted."""
    shop = request_membership(request).shop
    try:
        days = int(request.GET.get("dagen", "30"))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    return render(
        request,
        "assistant/gaps.html",
        {
            "gaps": gaps.gap_list(shop=shop, days=days),
            "outcomes": gaps.outcome_counts(shop=shop, days=days),
            "days": days,
            "periods": PERIODS,
        },
    )


@agent_required()
def assistant_try(request: HttpRequest) -> HttpResponse:
    """Ask the assistant as a shopper would and see why it answers what it does: the
    articles it found with their scores, its confidence against the shop's threshold, and
    what it would do. Nothing is stored and nobody is handed off."""
    shop = request_membership(request).shop
    question = " ".join(request.GET.get("vraag", "").split())[:TRY_CHARS]
    context: dict[str, object] = {"question": question}
    if question:
        found = retrieval.retrieve(
            knowledge_index.shop_index(shop=shop),
            question,
            locale="",
            default=shop.default_locale,
        )
        sure = confidence.confidence(found.features)
        threshold = services.answer_threshold(shop=shop)
        intent = intents.detect(question)
        context.update(
            {
                "found": found,
                "confidence": sure,
                "threshold": threshold,
                "intent": intent.name if intent else "",
                "answers": intent is None and bool(found.candidates) and sure >= threshold,
            }
        )
    return render(request, "assistant/try.html", context)
