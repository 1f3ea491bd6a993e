"""Every list endpoint answers `{"items": [...], "count": N, "count_exact": true}` with
limit/offset paging.

The total is counted up to `COUNT_CAP` matches: beyond that `count` is the cap and
`count_exact` false ("10,000+"). An exact total of a large set costs a scan of every match
(220–690 ms for "all open" at a million conversations), which no page needs; a client that
pages on simply asks until a page comes back short.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

COUNT_CAP = 10_000


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"Matches in all, counted up to {COUNT_CAP:,}.")
        count_exact: bool = Field(
            description=f"False when there are more than {COUNT_CAP:,} matches: `count` is then "
            f"{COUNT_CAP:,}."
        )

    items_attribute = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Input,
        request: HttpRequest | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        # COUNT(*) over at most CAP + 1 rows: a subquery with a LIMIT, wherever the matches are.
        count = queryset.order_by()[: COUNT_CAP + 1].count()
        return {
            "items": queryset[pagination.offset : pagination.offset + pagination.limit],
            "count": min(count, COUNT_CAP),
            "count_exact": count <= COUNT_CAP,
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
