"""/api/v1/conversations, /attachments, /tags and /macros: the inbox's routers."""

from __future__ import annotations

from balie.inbox.api.conversations import attachments_router, conversations_router
from balie.inbox.api.macros import macros_router
from balie.inbox.api.tags import tags_router

__all__ = ["attachments_router", "conversations_router", "macros_router", "tags_router"]
