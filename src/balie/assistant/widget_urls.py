"""The shopper widget's public endpoints (see `widget.py`)."""

from __future__ import annotations

from django.urls import path

from balie.assistant import widget, widget_chat

app_name = "widget"

urlpatterns = [
    path("s/<slug:shop_slug>/widget/sessie/", widget.session, name="session"),
    path("s/<slug:shop_slug>/widget/antwoord/", widget.answer, name="answer"),
    path("s/<slug:shop_slug>/widget/gesprek/", widget_chat.messages, name="chat_messages"),
    path("s/<slug:shop_slug>/widget/bericht/", widget_chat.send, name="chat_send"),
    path("s/<slug:shop_slug>/widget/faq/", widget.faq, name="faq"),
    path("s/<slug:shop_slug>/widget/faq.html", widget.faq_html, name="faq_html"),
]
