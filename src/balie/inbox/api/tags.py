"""/api/v1/tags: the shop's tags; renaming and deleting are for admins (they change every
conversation that carries the tag)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import AuthorizationError

from balie.api.auth import principal
from balie.api.fields import SingleLineText
from balie.api.pagination import paginated
from balie.inbox import selectors, services
from balie.inbox.models import Tag
from balie.inbox.schemas import TagIn, TagOut
from balie.tenancy.models import Role

tags_router = Router(tags=["tags"])


@tags_router.get("", response=list[TagOut], operation_id="tag_list")
@paginated
def tag_list(
    request: HttpRequest,
    q: Annotated[SingleLineText, Query("", max_length=50, description="Part of the name")] = "",
) -> QuerySet[Tag]:
    """The shop's tags by name, with how many conversations carry each."""
    return selectors.tag_list(shop=principal(request).shop, q=q)


@tags_router.post("", response={201: TagOut}, operation_id="tag_create")
def tag_create(request: HttpRequest, payload: TagIn) -> Status[Tag]:
    """A new tag. 409 when the shop has one of that name (in any case)."""
    who = principal(request)
    if not who.can(Role.AGENT):
        raise AuthorizationError(message=_("Meekijkers kunnen geen labels maken."))
    tag = services.tag_create(shop=who.shop, name=payload.name)
    return Status(201, selectors.access_tag(shop=who.shop, tag_id=tag.pk))


@tags_router.patch("{tag_id}", response=TagOut, operation_id="tag_update")
def tag_update(request: HttpRequest, tag_id: int, payload: TagIn) -> Tag:
    """Rename a tag on every conversation and macro (admins)."""
    who = principal(request)
    tag = selectors.access_tag(shop=who.shop, tag_id=tag_id)
    if not who.can(Role.ADMIN):
        raise AuthorizationError(message=_("Alleen beheerders kunnen labels hernoemen."))
    services.tag_rename(shop=who.shop, tag=tag, name=payload.name)
    return selectors.access_tag(shop=who.shop, tag_id=tag.pk)


@tags_router.delete("{tag_id}", response={204: None}, operation_id="tag_delete")
def tag_delete(request: HttpRequest, tag_id: int) -> Status[None]:
    """Delete a tag: it is removed from every conversation (each records it) and macro."""
    who = principal(request)
    tag = selectors.access_tag(shop=who.shop, tag_id=tag_id)
    if not who.can(Role.ADMIN):
        raise AuthorizationError(message=_("Alleen beheerders kunnen labels verwijderen."))
    services.tag_delete(shop=who.shop, tag=tag, actor=who.membership)
    return Status(204, None)
