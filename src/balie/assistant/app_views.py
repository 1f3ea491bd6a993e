"""The assistant's learning loop in the agent app: knowledge gaps (/app/kennisbank/lacunes/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from balie.assistant import gaps
from balie.tenancy.current import agent_required, request_membership

PERIODS = (7, 30, 90)


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
        {"gaps": gaps.gap_list(shop=shop, days=days), "days": days, "periods": PERIODS},
    )
