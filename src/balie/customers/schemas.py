from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict, EmailStr

from balie.api.fields import SingleLineText

LOCALE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"


class CustomerOut(Schema):
    id: int
    email: str
    phone: str
    first_name: str
    last_name: str
    locale: str
    external_id: str
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerIn(Schema):
    """A new customer; needs an email address or a phone number."""

    # A misspelt field is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: SingleLineText = Field("", max_length=32)
    first_name: SingleLineText = Field("", max_length=80)
    last_name: SingleLineText = Field("", max_length=120)
    locale: str = Field("nl", pattern=LOCALE_PATTERN)
    external_id: SingleLineText = Field("", max_length=64)


class CustomerPatch(CustomerIn):
    """Changes to a customer: fields left out stay as they are; `email: null` removes it."""
