from __future__ import annotations

from collections.abc import Sequence

from balie.knowledge import services
from balie.knowledge.models import ArticleStatus, ArticleTranslation
from balie.tenancy.models import Shop


def article(
    shop: Shop,
    key: str,
    title: str,
    body: str = "",
    *,
    locale: str = "nl",
    topic: str = "",
    tags: Sequence[str] = (),
    status: str = ArticleStatus.PUBLISHED,
    internal: bool | None = None,
) -> ArticleTranslation:
    """One translation saved through the service, published unless told otherwise."""
    return services.article_save(
        shop=shop,
        data=services.ArticleInput(
            key=key,
            locale=locale,
            title=title,
            body=body,
            topic=topic,
            tags=tags,
            status=status,
            is_internal=internal,
        ),
    )
