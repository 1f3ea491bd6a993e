from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from balie.tenancy import selectors
from balie.tenancy.current import agent_required


def home(request: HttpRequest) -> HttpResponse:
    shop = selectors.shop_by_domain(host=request.get_host())
    if shop is not None:
        return render(request, "web/help_center.html", {"shop": shop})
    return redirect("web:dashboard")


@agent_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {})


def help_center(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = selectors.access_shop_by_slug(slug=shop_slug)
    return render(request, "web/help_center.html", {"shop": shop})
