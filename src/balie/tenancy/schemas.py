from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from balie.api.fields import SingleLineText


class ContactOptionOut(Schema):
    channel: str
    label: str
    value: str
    response_minutes: int
    business_hours_only: bool


class ShopOut(Schema):
    id: int
    name: str
    slug: str
    default_locale: str
    time_zone: str
    brand_colour: str
    website_url: str
    support_email: str
    is_open_now: bool
    next_opening_at: dt.datetime | None
    contact_options: list[ContactOptionOut]


class AgentOut(Schema):
    id: int
    email: str = Field(alias="user.email")
    full_name: str = Field(alias="user.full_name")
    role: str
    is_active: bool


class TeamOut(Schema):
    id: int
    name: str
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(team) -> list[int]:  # type: ignore[no-untyped-def]
        return [member.id for member in team.members.all()]


class TeamIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLineText = Field(min_length=1, max_length=80)
    member_ids: list[int] = Field(default_factory=list, max_length=500)
