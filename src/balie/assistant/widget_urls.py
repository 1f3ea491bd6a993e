"""The shopper widget's public endpoints (see `widget.py`)."""

from __future__ import annotations

from django.urls import path

from balie.assistant import widget

app_name = "widget"

urlpatterns = [
    path("s/<slug:shop_slug>/widget/sessie/", widget.session, name="session"),
    path("s/<slug:shop_slug>/widget/antwoord/", widget.answer, name="answer"),
    path("s/<slug:shop_slug>/widget/faq/", widget.faq, name="faq"),
    path("s/<slug:shop_slug>/widget/faq.html", widget.faq_html, name="faq_html"),
]
