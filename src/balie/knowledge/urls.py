"""The help center's knowledge pages, under /s/<shop>/ and at the root of a shop's domain."""

from __future__ import annotations

from django.urls import path

from balie.knowledge import views

app_name = "knowledge"


def _pages(prefix: str, suffix: str) -> list:  # type: ignore[type-arg]  # URLPattern list
    return [
        path(f"{prefix}artikel/<slug:locale>/<slug:slug>/", views.article, name=f"article{suffix}"),
        path(
            f"{prefix}artikel/<slug:locale>/<slug:slug>/feedback/",
            views.feedback,
            name=f"feedback{suffix}",
        ),
        path(f"{prefix}onderwerp/<slug:topic_slug>/", views.topic, name=f"topic{suffix}"),
        path(
            f"{prefix}bijlage/<int:attachment_id>/<str:filename>",
            views.attachment,
            name=f"attachment{suffix}",
        ),
        path(f"{prefix}zoeken/", views.search, name=f"search{suffix}"),
        path(f"{prefix}sitemap.xml", views.sitemap, name=f"sitemap{suffix}"),
    ]


urlpatterns = [*_pages("s/<slug:shop_slug>/", ""), *_pages("", "_on_domain")]
