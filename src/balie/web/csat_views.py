"""The customer's one-click satisfaction rating, from the links in the survey email.

Public pages (no sign-in): the signed token in the link is the only credential. A GET records
the score (HEAD does not, so link checkers in mail filters leave no score); the page thanks
the customer and offers a comment, sent by POST with CSRF. A link that was altered, expired
or belongs to another shop's domain gets a friendly 404; a score outside 1–5 a 400.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from balie.inbox import errors
from balie.inbox.models import Conversation
from balie.inbox.services import csat
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import shopper_language
from balie.web.brand import brand_palette


class CsatCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Wil je nog iets kwijt? (niet verplicht)"),
        max_length=csat.COMMENT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def csat_rate(request: HttpRequest, token: str, score: str) -> HttpResponse:
    try:
        conversation = csat.conversation_for_csat_token(token=token)
    except errors.CsatLinkInvalid as error:
        return _invalid(request, error.message, status=404)
    shop = conversation.shop
    host_shop = tenancy_selectors.shop_by_domain(host=request.get_host())
    if host_shop is not None and host_shop.pk != shop.pk:
        return _invalid(request, str(_("Deze link hoort niet bij deze winkel.")), status=404)
    language = shopper_language(request, shop)
    with translation.override(language), timezone.override(shop.tz):
        response = _rate(request, conversation, token, score)
    response.headers["Content-Language"] = language
    # The token is a credential: never leak it to another site through the Referer ("no-referrer"
    # would also make browsers send "Origin: null" with the comment form, which CSRF refuses).
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _rate(request: HttpRequest, conversation: Conversation, token: str, score: str) -> HttpResponse:
    shop = conversation.shop
    context = {
        "shop": shop,
        "palette": brand_palette(shop.brand_colour),
        "token": token,
        "labels": csat.score_labels(),
    }
    try:
        value = csat.csat_score(score)
    except errors.CsatScoreInvalid as error:
        return render(
            request, "web/csat/rate.html", {**context, "error": error.message}, status=400
        )
    form = CsatCommentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            conversation = csat.csat_record(
                shop=shop, conversation=conversation, score=value,
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        else:
            status = 400
    elif request.method == "GET":
        conversation = csat.csat_record(shop=shop, conversation=conversation, score=value)
    context.update(
        score=value,
        label=csat.score_labels()[value],
        form=form,
        commented=request.method == "POST" and form.is_valid(),
        comment=conversation.csat_comment,
    )
    return render(request, "web/csat/rate.html", context, status=status)


def _invalid(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "web/csat/invalid.html", {"message": message}, status=status)
