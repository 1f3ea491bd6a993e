from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import EmailStr


class CustomerOut(Schema):
    id: int
    email: str
    phone: str
    first_name: str
    last_name: str
    locale: str
    external_id: str
    created_at: dt.datetime


class CustomerIn(Schema):
    email: EmailStr | None = None
    phone: str = Field("", max_length=32)
    first_name: str = Field("", max_length=80)
    last_name: str = Field("", max_length=120)
    locale: str = Field("nl", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    external_id: str = Field("", max_length=64)
