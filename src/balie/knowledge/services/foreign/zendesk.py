"""Zendesk Guide (Help Center) articles to our article inputs.

The fields as Zendesk's Help Center API documents them
(developer.zendesk.com/api-reference/help_center/help-center-api/articles/ and …/sections/):
an article has `id`, `title`, `body` (HTML), `locale` ("nl", "en-us"; `source_locale` is its
first language), `section_id`, `label_names`, `draft` (true while this translation is a
draft) and `user_segment_id` (null: everyone may read it; Enterprise plans may list
`user_segment_ids`). List Articles answers `{"articles": […]}`; with
`?include=sections,categories` it adds `"sections": [{"id", "name", "category_id", …}]` and
`"categories"`. Not used: `html_url`, `position`, `promoted`, `outdated`, votes,
`author_id`, `permission_group_id` (who may edit) and `content_tag_ids` (ids only).
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext as _

from balie.knowledge.models import ArticleStatus
from balie.knowledge.services import articles
from balie.knowledge.services.foreign import documents, fields, markup

LISTS = ("sections", "categories")


def reader(export: documents.Export) -> documents.Reader:
    """What reads each article of this export, knowing the export's section names."""
    sections = {
        section["id"]: section.get("name")
        for section in export.lists["sections"]
        if isinstance(section.get("id"), int | str)
    }
    return functools.partial(_article_input, sections=sections)


def _article_input(
    record: dict[str, Any], *, sections: dict[Any, Any]
) -> tuple[articles.ArticleInput | None, list[str]]:
    problems: list[str] = []
    key = fields.key("zendesk", record.get("id"))
    if key is None:
        problems.append(_("id ontbreekt of is geen getal."))
    title = fields.text(record.get("title", record.get("name")))
    body = fields.text(record.get("body"))
    locale = fields.text(record.get("locale") or record.get("source_locale"))
    for name, value in (("title", title), ("body", body), ("locale", locale)):
        if value is None:
            problems.append(fields.not_text(name))
    labels = fields.strings(record.get("label_names"))
    if labels is None:
        problems.append(fields.not_a_list("label_names"))
    draft = record.get("draft")
    if draft is not None and not isinstance(draft, bool):
        problems.append(_("draft is true of false."))
    if problems or key is None or title is None or body is None or locale is None:
        return None, problems
    section = record.get("section_id")
    # An article for some readers only (signed-in users, agents) stays with the agents
    # until an editor makes it public: what a segment allows cannot be read from an id.
    restricted = record.get("user_segment_id") is not None or bool(record.get("user_segment_ids"))
    return articles.ArticleInput(
        key=key,
        locale=fields.locale(locale or fields.DEFAULT_LOCALE),
        title=title,
        body=markup.markdown(body),
        topic=fields.topic(sections.get(section)) if isinstance(section, int | str) else "",
        tags=tuple(labels or ()),
        status=ArticleStatus.DRAFT if draft else ArticleStatus.PUBLISHED,
        is_internal=True if restricted else None,
    ), []
