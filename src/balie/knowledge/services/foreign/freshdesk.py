"""Freshdesk solution articles to our article inputs.

The fields as Freshdesk's API v2 documents them (developers.freshdesk.com/api/#solutions,
"Solution Article" attributes and the examples there): an article has `id`, `title`,
`description` (HTML), `description_text` (the same as plain text), `status` (1 draft,
2 published), `tags`, `folder_id`, `category_id` and `hierarchy`, its category and folders
as `{"level", "type": "category" | "folder", "data": {"id", "name", "language"}}`; search
results add `folder_name` and `folder_visibility`. A folder has `id`, `name` and
`visibility` (1 all users, 2 logged-in users, 3 agents, 4 selected companies, 5 bots,
6 and 7 contact or company segments). The list endpoints answer with a bare array; an
export that gathers them may put `"articles"`, `"folders"` and `"categories"` in one
object. Not used: `seo_data`, `agent_id`, `type`, thumbs, hits and dates.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext as _

from balie.knowledge.models import ArticleStatus
from balie.knowledge.services import articles
from balie.knowledge.services.foreign import documents, fields, markup

LISTS = ("folders", "categories")
DRAFT, PUBLISHED = 1, 2
ALL_USERS = 1


def reader(export: documents.Export) -> documents.Reader:
    """What reads each article of this export, knowing the export's folders."""
    folders = {
        folder["id"]: folder
        for folder in export.lists["folders"]
        if isinstance(folder.get("id"), int | str)
    }
    return functools.partial(_article_input, folders=folders)


def _article_input(
    record: dict[str, Any], *, folders: dict[Any, dict[str, Any]]
) -> tuple[articles.ArticleInput | None, list[str]]:
    problems: list[str] = []
    key = fields.key("freshdesk", record.get("id"))
    if key is None:
        problems.append(_("id ontbreekt of is geen getal."))
    title = fields.text(record.get("title"))
    html = fields.text(record.get("description"))
    plain = fields.text(record.get("description_text"))
    for name, value in (("title", title), ("description", html), ("description_text", plain)):
        if value is None:
            problems.append(fields.not_text(name))
    tags = fields.strings(record.get("tags"))
    if tags is None:
        problems.append(fields.not_a_list("tags"))
    status = record.get("status")
    if status is not None and (isinstance(status, bool) or status not in (DRAFT, PUBLISHED)):
        problems.append(_("status is 1 (concept) of 2 (gepubliceerd)."))
    if problems or key is None or title is None or html is None or plain is None:
        return None, problems
    folder_id = record.get("folder_id")
    folder = folders.get(folder_id, {}) if isinstance(folder_id, int | str) else {}
    place = _place(record, folder_id)
    language = place.get("language")
    visibility = folder.get("visibility", record.get("folder_visibility"))
    # A folder for fewer readers than everyone stays with the agents until an editor
    # makes it public.
    restricted = isinstance(visibility, int) and visibility != ALL_USERS
    return articles.ArticleInput(
        key=key,
        locale=fields.locale(language if isinstance(language, str) else fields.DEFAULT_LOCALE),
        title=title,
        body=markup.markdown(html) if html.strip() else markup.text_markdown(plain),
        topic=fields.topic(folder.get("name") or place.get("name") or record.get("folder_name")),
        tags=tuple(tags or ()),
        status=ArticleStatus.DRAFT if status == DRAFT else ArticleStatus.PUBLISHED,
        is_internal=True if restricted else None,
    ), []


def _place(record: dict[str, Any], folder_id: Any) -> dict[str, Any]:
    """The article's folder in its `hierarchy` (the deepest folder when none has its id),
    else its category: where its name and language are."""
    hierarchy = record.get("hierarchy")
    steps = hierarchy if isinstance(hierarchy, list) else []
    entries = [
        step for step in steps if isinstance(step, dict) and isinstance(step.get("data"), dict)
    ]
    folders: list[dict[str, Any]] = [
        step["data"] for step in entries if step.get("type") == "folder"
    ]
    own = [data for data in folders if data.get("id") == folder_id]
    if own or folders:
        return (own or folders)[-1]
    categories = [entry["data"] for entry in entries]
    return {"language": categories[-1].get("language")} if categories else {}
