from __future__ import annotations

from balie.core.errors import DomainError


class ArticleKeyTaken(DomainError):
    code = "article_key_taken"
    status = 409


class ArticleSlugTaken(DomainError):
    code = "article_slug_taken"
    status = 409


class ArticleInvalid(DomainError):
    code = "article_invalid"
    status = 422


class VersionNotFound(DomainError):
    code = "article_version_not_found"
    status = 404


class AttachmentRefused(DomainError):
    code = "attachment_refused"
    status = 422


class ImportInvalid(DomainError):
    """A knowledge import with bad rows; `problems` name each by line."""

    code = "knowledge_import_invalid"
    status = 422
