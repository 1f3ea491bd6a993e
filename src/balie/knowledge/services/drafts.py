"""From an agent's answer to a draft article: the learning loop's one click.

The shopper's question becomes the title (its first sentence), the agent's answer the body,
without the greeting and the sign-off that belong to one conversation ("Hoi Anouk," …
"Groet, Sanne"). The article starts as a draft for the editor to generalise and publish.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balie.knowledge.models import Article, ArticleStatus, ArticleTranslation
from balie.knowledge.services.articles import ArticleInput, article_save
from balie.tenancy.models import Membership, Shop

TITLE_CHARS = 120
_GREETING = re.compile(
    r"^\s*(?:hoi|hallo|hey|hi|beste|dag|goedemorgen|goedemiddag|goedenavond|hello|dear|"
    r"guten tag|hallo|bonjour)\b[^\n]{0,60}[,!]?\s*$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:met )?(?:vriendelijke |hartelijke |warme )?groet(?:en|jes)?\b|^\s*fijne dag\b|"
    r"^\s*(?:kind |best )?regards\b|^\s*cheers\b|^\s*mit freundlichen\b|^\s*cordialement\b|^--\s*$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[?!.])\s")


def answer_body(answer: str) -> str:
    """The answer without its first greeting line and from its sign-off on."""
    lines = answer.replace("\r\n", "\n").strip().split("\n")
    if lines and _GREETING.match(lines[0]):
        lines = lines[1:]
    for index, line in enumerate(lines):
        if index > 0 and _SIGN_OFF.match(line):
            lines = lines[:index]
            break
    return "\n".join(lines).strip()


def question_title(question: str) -> str:
    flat = " ".join(question.split())
    first = _SENTENCE.split(flat, maxsplit=1)[0] if flat else ""
    title = (first or flat)[:TITLE_CHARS].strip()
    return title[:1].upper() + title[1:] if title else _("Nieuw artikel")


@transaction.atomic
def article_draft_from_answer(
    *,
    shop: Shop,
    question: str,
    answer: str,
    locale: str,
    author: Membership | None,
    source: str = "",
) -> ArticleTranslation:
    """A new draft article (its own key) from a question and an agent's answer."""
    title = question_title(question)
    base = slugify(title)[:70].strip("-") or "artikel"
    key, number = base, 1
    while Article.objects.for_shop(shop).filter(key=key).exists():
        number += 1
        key = f"{base}-{number}"
    note = (
        _("Gemaakt van een antwoord in gesprek %(source)s") % {"source": source} if source else ""
    )
    return article_save(
        shop=shop,
        data=ArticleInput(
            key=key,
            locale=locale if re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", locale or "") else "nl",
            title=title,
            body=answer_body(answer)[:100_000],
            status=ArticleStatus.DRAFT,
            is_internal=False,
        ),
        author=author,
        note=note,
    )
