"""Every list endpoint answers `{"items": [...], "count": N}` with limit/offset paging."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]
        count: int

    items_attribute = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Input,
        request: HttpRequest | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        return {
            "items": queryset[pagination.offset : pagination.offset + pagination.limit],
            "count": queryset.count(),
        }


def paginated(view: Callable[..., QuerySet[Any]]) -> Callable[..., Any]:
    """ninja's `@paginate(LimitOffset)` for modules with `from __future__ import annotations`.

    ninja resolves string annotations in the globals of the function it is given, which for a
    paginated view is ninja's own wrapper, so a query parameter typed with one of our types
    (an enum, `SingleLineText`) failed at request time. Resolving them here, in the view's
    own module, first avoids that.
    """
    view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    return paginate(LimitOffset)(view)  # type: ignore[no-any-return]
