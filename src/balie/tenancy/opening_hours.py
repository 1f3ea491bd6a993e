"""Writes for when and how a shop can be reached: its week of opening hours with time zone
and public holidays, its own closing days, and its contact options with the response time
each promises shoppers.

Opening hours decide the SLA clocks, so every change to them (week, time zone, holidays,
closing days) marks the shop's active conversations for the SLA sweep in the same
transaction (`inbox.services.sla_recheck`): their deadlines follow within a minute. Contact
options decide only what shoppers are promised (help center, acknowledgement).
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.inbox import services as inbox_services
from balie.tenancy import errors
from balie.tenancy.models import BusinessHours, ClosingDay, ContactChannel, ContactOption, Shop

Period = tuple[int, dt.time, dt.time]  # weekday (0 = Monday), opens_at, closes_at

PERIODS_PER_DAY_MAX = 6
CLOSING_DAYS_AT_ONCE_MAX = 62
REASON_MAX = 120
LABEL_MAX = 80
RESPONSE_MINUTES_MAX = 14 * 24 * 60
# The countries a shop picks from on the settings page (any country `holidays` knows works).
HOLIDAY_COUNTRIES = {
    "NL": gettext_lazy("Nederland"),
    "BE": gettext_lazy("België"),
    "DE": gettext_lazy("Duitsland"),
    "LU": gettext_lazy("Luxemburg"),
    "FR": gettext_lazy("Frankrijk"),
    "AT": gettext_lazy("Oostenrijk"),
    "CH": gettext_lazy("Zwitserland"),
    "GB": gettext_lazy("Verenigd Koninkrijk"),
}


@transaction.atomic
def opening_hours_set(
    *,
    shop: Shop,
    periods: Iterable[Period],
    time_zone: str | None = None,
    holiday_country: str | None = None,
    closed_on_public_holidays: bool | None = None,
) -> Shop:
    """Replace the shop's week by `periods` (a day may have several; none is closed) and
    set the time zone and public holidays (None keeps them). Periods of a day may touch
    (9–12 and 12–17) but not overlap. Raises OpeningHoursInvalid naming the day
    (`day_<weekday>`) or setting; then nothing changes. Locks the shop row."""
    wanted = sorted(_period(period) for period in periods)
    for day, group in itertools.groupby(wanted, key=lambda period: period[0]):
        day_periods = list(group)
        if len(day_periods) > PERIODS_PER_DAY_MAX:
            raise errors.OpeningHoursInvalid(
                _("Hoogstens %(max)d tijdvakken per dag.") % {"max": PERIODS_PER_DAY_MAX},
                field=f"day_{day}",
            )
        for (_day, _start, end), (_next_day, next_start, _end) in itertools.pairwise(day_periods):
            if next_start < end:
                raise errors.OpeningHoursInvalid(
                    _("Tijdvakken op dezelfde dag mogen elkaar niet overlappen."),
                    field=f"day_{day}",
                )
    locked: Shop = Shop.objects.select_for_update().get(pk=shop.pk)
    fields = []
    if time_zone is not None:
        if time_zone not in zoneinfo.available_timezones():
            raise errors.OpeningHoursInvalid(
                _("Onbekende tijdzone: %(zone)s.") % {"zone": time_zone}, field="time_zone"
            )
        locked.time_zone = time_zone
        fields.append("time_zone")
    if holiday_country is not None:
        country = holiday_country.strip().upper()
        if country not in holidays.list_supported_countries():
            raise errors.OpeningHoursInvalid(
                _("Voor %(country)s kent Balie geen feestdagen.") % {"country": holiday_country},
                field="holiday_country",
            )
        locked.holiday_country = country
        fields.append("holiday_country")
    if closed_on_public_holidays is not None:
        locked.closed_on_public_holidays = bool(closed_on_public_holidays)
        fields.append("closed_on_public_holidays")
    if fields:
        locked.save(update_fields=[*fields, "updated_at"])
    BusinessHours.objects.for_shop(shop).delete()
    BusinessHours.objects.bulk_create(
        BusinessHours(shop=shop, weekday=day, opens_at=opens, closes_at=closes)
        for day, opens, closes in wanted
    )
    inbox_services.sla_recheck(shop=shop)
    for field in fields:  # the caller's object shows the change too
        setattr(shop, field, getattr(locked, field))
    return shop


@transaction.atomic
def closing_days_add(
    *, shop: Shop, first: dt.date, last: dt.date | None = None, reason: str = ""
) -> list[ClosingDay]:
    """Close the service on `first` (through `last`, at most CLOSING_DAYS_AT_ONCE_MAX days),
    for `reason`. Idempotent: a day that was closed already keeps its row and gets the new
    reason. Raises ClosingDayInvalid."""
    last = last or first
    if last < first:
        raise errors.ClosingDayInvalid(_("De einddatum ligt voor de begindatum."), field="last")
    days = (last - first).days + 1
    if days > CLOSING_DAYS_AT_ONCE_MAX:
        raise errors.ClosingDayInvalid(
            _("Hoogstens %(max)d dagen tegelijk.") % {"max": CLOSING_DAYS_AT_ONCE_MAX},
            field="last",
        )
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise errors.ClosingDayInvalid(
            _("Een reden heeft hoogstens %(max)d tekens.") % {"max": REASON_MAX}, field="reason"
        )
    rows = [
        ClosingDay(shop=shop, date=first + dt.timedelta(days=offset), reason=reason)
        for offset in range(days)
    ]
    ClosingDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["shop", "date"],
        update_fields=["reason", "updated_at"],
    )
    inbox_services.sla_recheck(shop=shop)
    return list(ClosingDay.objects.for_shop(shop).filter(date__range=(first, last)))


@transaction.atomic
def closing_day_delete(*, shop: Shop, closing_day: ClosingDay) -> None:
    """Open on that day again (as the week says); idempotent."""
    if closing_day.shop_id != shop.pk:
        raise ValueError("closing day belongs to another shop")
    deleted, _rows = ClosingDay.objects.for_shop(shop).filter(pk=closing_day.pk).delete()
    if deleted:
        inbox_services.sla_recheck(shop=shop)


@transaction.atomic
def contact_option_create(
    *,
    shop: Shop,
    channel: ContactChannel | str,
    label: str,
    response_minutes: int,
    value: str = "",
    business_hours_only: bool = True,
    is_active: bool = True,
    position: int | None = None,
) -> ContactOption:
    """A new way to reach the shop, last in the list unless `position` is given. Raises
    ContactOptionInvalid (with the field)."""
    if position is None:
        highest = ContactOption.objects.for_shop(shop).aggregate(Max("position"))["position__max"]
        position = 0 if highest is None else highest + 1
    option = ContactOption(shop=shop)
    _apply_option(
        option,
        channel=channel,
        label=label,
        value=value,
        response_minutes=response_minutes,
        business_hours_only=business_hours_only,
        is_active=is_active,
        position=position,
    )
    option.save()
    return option


@transaction.atomic
def contact_option_update(
    *,
    shop: Shop,
    option: ContactOption,
    channel: ContactChannel | str | None = None,
    label: str | None = None,
    value: str | None = None,
    response_minutes: int | None = None,
    business_hours_only: bool | None = None,
    is_active: bool | None = None,
    position: int | None = None,
) -> ContactOption:
    """Change the given fields (None keeps one), validated as a whole."""
    if option.shop_id != shop.pk:
        raise ValueError("contact option belongs to another shop")
    current: ContactOption = (
        ContactOption.objects.for_shop(shop).select_for_update().get(pk=option.pk)
    )
    _apply_option(
        current,
        channel=current.channel if channel is None else channel,
        label=current.label if label is None else label,
        value=current.value if value is None else value,
        response_minutes=(
            current.response_minutes if response_minutes is None else response_minutes
        ),
        business_hours_only=(
            current.business_hours_only if business_hours_only is None else business_hours_only
        ),
        is_active=current.is_active if is_active is None else is_active,
        position=current.position if position is None else position,
    )
    current.save()
    return current


@transaction.atomic
def contact_option_delete(*, shop: Shop, option: ContactOption) -> None:
    if option.shop_id != shop.pk:
        raise ValueError("contact option belongs to another shop")
    ContactOption.objects.for_shop(shop).filter(pk=option.pk).delete()


def _period(period: Period) -> Period:
    day, opens, closes = period
    if not isinstance(day, int) or not 0 <= day <= 6:
        raise errors.OpeningHoursInvalid(_("Kies een dag van maandag tot zondag."), field="periods")
    field = f"day_{day}"
    if not isinstance(opens, dt.time) or not isinstance(closes, dt.time) or opens.tzinfo:
        raise errors.OpeningHoursInvalid(_("Vul een begin- en eindtijd in."), field=field)
    if opens >= closes:
        raise errors.OpeningHoursInvalid(
            _("Een tijdvak begint voor het eindigt (%(opens)s–%(closes)s).")
            % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
            field=field,
        )
    return day, opens, closes


def _apply_option(
    option: ContactOption,
    *,
    channel: str,
    label: str,
    value: str,
    response_minutes: int,
    business_hours_only: bool,
    is_active: bool,
    position: int,
) -> None:
    if channel not in ContactChannel.values:
        raise errors.ContactOptionInvalid(_("Kies een bestaand kanaal."), field="channel")
    label = " ".join(label.split())
    if not label or len(label) > LABEL_MAX:
        raise errors.ContactOptionInvalid(
            _("Geef een naam van 1 tot %(max)d tekens.") % {"max": LABEL_MAX}, field="label"
        )
    value = value.strip()
    if len(value) > 254 or any(char in value for char in "\r\n\0"):
        raise errors.ContactOptionInvalid(
            _("Een adres of nummer heeft hoogstens 254 tekens, op één regel."), field="value"
        )
    if value and channel == ContactChannel.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise errors.ContactOptionInvalid(
                _("Vul een geldig e-mailadres in."), field="value"
            ) from None
    if (
        not isinstance(response_minutes, int)
        or isinstance(response_minutes, bool)
        or not 1 <= response_minutes <= RESPONSE_MINUTES_MAX
    ):
        raise errors.ContactOptionInvalid(
            _("Beloof een reactietijd van 1 minuut tot 14 dagen."), field="response_minutes"
        )
    if not isinstance(position, int) or not 0 <= position <= 32767:
        raise errors.ContactOptionInvalid(_("Kies een volgorde van 0 tot 32767."), field="position")
    option.channel = str(channel)
    option.label = label
    option.value = value
    option.response_minutes = response_minutes
    option.business_hours_only = bool(business_hours_only)
    option.is_active = bool(is_active)
    option.position = position
