"""Writes for the knowledge base, split by idea: `articles` (translations, versions, status,
related articles, placements, topics), `attachments`, `feedback` (views and votes),
`transfer` (import and export) and `foreign` (reading Zendesk Guide and Freshdesk exports for
the import). Import this package, not its modules."""

from __future__ import annotations

from balie.knowledge.services.articles import (
    ArticleInput,
    article_delete,
    article_input_problems,
    article_related_set,
    article_save,
    article_status_set,
    article_version_restore,
    index_changed,
    knowledge_settings_update,
    placements_set,
    topic_for_slug,
    topic_save,
)
from balie.knowledge.services.attachments import article_attachment_add, article_attachment_delete
from balie.knowledge.services.drafts import article_draft_from_answer
from balie.knowledge.services.feedback import article_feedback_record, article_view_record
from balie.knowledge.services.transfer import (
    ImportResult,
    import_format,
    knowledge_export,
    knowledge_import,
)

__all__ = [
    "ArticleInput",
    "ImportResult",
    "article_attachment_add",
    "article_attachment_delete",
    "article_delete",
    "article_draft_from_answer",
    "article_feedback_record",
    "article_input_problems",
    "article_related_set",
    "article_save",
    "article_status_set",
    "article_version_restore",
    "article_view_record",
    "import_format",
    "index_changed",
    "knowledge_export",
    "knowledge_import",
    "knowledge_settings_update",
    "placements_set",
    "topic_for_slug",
    "topic_save",
]
