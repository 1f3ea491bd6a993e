"""What shoppers tell about articles: views, "Heeft dit je geholpen?" and comments.

Counters go up with an UPDATE … SET n = n + 1, so concurrent readers never lose a count.
They do not make the index stale by themselves: an index takes the new popularity when it is
rebuilt, at the latest after `knowledge.index.MAX_AGE` (votes by the minute must not rebuild
the index by the minute).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from balie.knowledge.models import ArticleFeedback, ArticleTranslation
from balie.tenancy.models import Shop

MAX_COMMENT_CHARS = 2_000


def article_view_record(*, shop: Shop, translation: ArticleTranslation) -> None:
    ArticleTranslation.objects.for_shop(shop).filter(pk=translation.pk).update(
        view_count=F("view_count") + 1
    )


@transaction.atomic
def article_feedback_record(
    *, shop: Shop, translation: ArticleTranslation, helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """One vote, with the comment cut to `MAX_COMMENT_CHARS` (stored as text, shown escaped)."""
    counter = "helpful_count" if helpful else "unhelpful_count"
    ArticleTranslation.objects.for_shop(shop).filter(pk=translation.pk).update(
        **{counter: F(counter) + 1}
    )
    return ArticleFeedback.objects.create(
        shop=shop,
        translation=translation,
        helpful=helpful,
        comment=comment.replace("\x00", "").strip()[:MAX_COMMENT_CHARS],
    )
