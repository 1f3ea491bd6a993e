"""The settings pages for when and how a shop can be reached (owners and admins): opening
hours with time zone and public holidays, closing days, and contact options."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balie.core.business_hours import public_holidays
from balie.core.errors import DomainError
from balie.tenancy import opening_hours, selectors
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.forms import ClosingDaysForm, ContactOptionForm, OpeningHoursForm
from balie.tenancy.models import BusinessHours, Role, Shop
from balie.web import response_times

HOLIDAYS_AHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str


@agent_required(Role.ADMIN)
def opening_hours_page(request: HttpRequest) -> HttpResponse:
    """The week, time zone and public holidays; a POST saves them (and re-times the SLA
    clocks of open conversations)."""
    shop = request_membership(request).shop
    form = OpeningHoursForm(
        request.POST if request.method == "POST" else None, shop=shop, periods=_week(shop)
    )
    if form.is_bound and form.is_valid():
        try:
            opening_hours.opening_hours_set(
                shop=shop,
                periods=form.periods(),
                time_zone=form.cleaned_data["time_zone"],
                holiday_country=form.cleaned_data["holiday_country"],
                closed_on_public_holidays=form.cleaned_data["closed_on_public_holidays"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "De openingstijden zijn opgeslagen. Deadlines van open gesprekken volgen "
                    "binnen een minuut."
                ),
            )
            return redirect("web:shop_settings:hours")
    return _hours_page(request, shop, form=form)


@require_POST
@agent_required(Role.ADMIN)
def closing_days_add(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    form = ClosingDaysForm(request.POST)
    if form.is_valid():
        try:
            added = opening_hours.closing_days_add(
                shop=shop,
                first=form.cleaned_data["first"],
                last=form.cleaned_data["last"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d sluitingsdag opgeslagen.",
                    "%(count)d sluitingsdagen opgeslagen.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect("web:shop_settings:hours")
    return _hours_page(request, shop, closing_form=form)


@require_POST
@agent_required(Role.ADMIN)
def closing_day_delete(request: HttpRequest, closing_day_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    day = selectors.access_closing_day(shop=shop, closing_day_id=closing_day_id)
    opening_hours.closing_day_delete(shop=shop, closing_day=day)
    messages.success(request, _("Je bent weer open op die dag, volgens je weekrooster."))
    return redirect("web:shop_settings:hours")


@agent_required(Role.ADMIN)
def contact_option_list(request: HttpRequest) -> HttpResponse:
    """The ways shoppers reach the shop, with their promises; a POST adds one."""
    shop = request_membership(request).shop
    form = ContactOptionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            option = opening_hours.contact_option_create(shop=shop, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(label)s is toegevoegd.") % {"label": option.label})
            return redirect("web:shop_settings:contact_options")
    options = list(selectors.contact_option_all(shop=shop))
    schedule = selectors.schedule_for(shop=shop)
    now = timezone.now()
    with timezone.override(shop.tz):
        rows = [
            (
                option,
                response_times.promised_time(option),
                response_times.promise_sentence(
                    response_times.response_promise(option=option, schedule=schedule, now=now)
                ),
            )
            for option in options
        ]
    return render(request, "tenancy/settings/contact_options.html", {"rows": rows, "form": form})


@agent_required(Role.ADMIN)
def contact_option_detail(request: HttpRequest, contact_option_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    option = selectors.access_contact_option(shop=shop, contact_option_id=contact_option_id)
    form = ContactOptionForm(request.POST if request.method == "POST" else None, option=option)
    if form.is_bound and form.is_valid():
        try:
            opening_hours.contact_option_update(shop=shop, option=option, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De contactmogelijkheid is opgeslagen."))
            return redirect("web:shop_settings:contact_options")
    return render(request, "tenancy/settings/contact_option.html", {"option": option, "form": form})


@require_POST
@agent_required(Role.ADMIN)
def contact_option_delete(request: HttpRequest, contact_option_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    option = selectors.access_contact_option(shop=shop, contact_option_id=contact_option_id)
    opening_hours.contact_option_delete(shop=shop, option=option)
    messages.success(request, _("%(label)s is verwijderd.") % {"label": option.label})
    return redirect("web:shop_settings:contact_options")


def _week(shop: Shop) -> list[tuple[int, dt.time, dt.time]]:
    return [
        (period.weekday, period.opens_at, period.closes_at)
        for period in BusinessHours.objects.for_shop(shop)
    ]


def upcoming_holidays(*, shop: Shop, today: dt.date) -> list[Holiday]:
    """The public holidays of the shop's country in the coming year."""
    found = []
    for year in (today.year, today.year + 1):
        for date, name in public_holidays(shop.holiday_country, year):
            if today <= date <= today + HOLIDAYS_AHEAD:
                found.append(Holiday(date=date, name=name))
    return found


def _hours_page(
    request: HttpRequest,
    shop: Shop,
    *,
    form: OpeningHoursForm | None = None,
    closing_form: ClosingDaysForm | None = None,
) -> HttpResponse:
    today = timezone.localtime(timezone.now(), shop.tz).date()
    context: dict[str, Any] = {
        "form": form or OpeningHoursForm(shop=shop, periods=_week(shop)),
        "closing_form": closing_form or ClosingDaysForm(),
        "closing_days": selectors.closing_day_list(shop=shop, since=today),
        "holidays": upcoming_holidays(shop=shop, today=today),
        "closed_on_public_holidays": shop.closed_on_public_holidays,
    }
    return render(request, "tenancy/settings/opening_hours.html", context)


def _form_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
