"""The mailbox settings pages under /app/instellingen/mailboxen/ (owners and admins): the list
with each mailbox's state, adding one, its page (state, connection test, changes, delete)
and the emails it kept as rejected, each downloadable as the original .eml."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balie.channels import selectors, services
from balie.channels.email.diagnosis import ConnectionReport
from balie.channels.forms import MailboxForm
from balie.channels.models import Mailbox, RejectedEmail
from balie.core.errors import DomainError
from balie.inbox.downloads import content_disposition
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import Role, Shop, Team

REJECTED_PAGE_SIZE = 50
# Changing one of these re-tests the connection after saving.
_CONNECTION_FIELDS = frozenset(
    {
        "imap_host",
        "imap_security",
        "imap_port",
        "imap_username",
        "imap_password",
        "imap_folder",
        "smtp_host",
        "smtp_security",
        "smtp_port",
        "smtp_username",
        "smtp_password",
        "smtp_password_clear",
    }
)


@agent_required(Role.ADMIN)
def mailbox_list(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    now = timezone.now()
    rows = [
        (mailbox, selectors.mailbox_state(mailbox, now=now))
        for mailbox in selectors.mailbox_list(shop=shop)
    ]
    return render(request, "channels/settings/mailbox_list.html", {"rows": rows})


@never_cache
@agent_required(Role.ADMIN)
def mailbox_create(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    teams = _teams(shop)
    form = MailboxForm(
        request.POST if request.method == "POST" else None, teams=list(teams.values())
    )
    if form.is_bound and form.is_valid():
        try:
            mailbox = services.mailbox_create(shop=shop, **form.service_fields(teams))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("De mailbox is toegevoegd. Balie leest vanaf nu de nieuwe e-mail in %(folder)s.")
                % {"folder": mailbox.imap_folder},
            )
            _report_as_messages(
                request, services.mailbox_connection_test(shop=shop, mailbox=mailbox)
            )
            return redirect("web:mailboxes:detail", mailbox_id=mailbox.pk)
    return render(request, "channels/settings/mailbox_create.html", {"form": form})


@never_cache
@agent_required(Role.ADMIN)
def mailbox_detail(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """The mailbox's page; a POST saves its settings (and re-tests a changed connection)."""
    shop = request_membership(request).shop
    mailbox = selectors.access_mailbox(shop=shop, mailbox_id=mailbox_id)
    teams = _teams(shop)
    form = MailboxForm(
        request.POST if request.method == "POST" else None,
        teams=list(teams.values()),
        mailbox=mailbox,
    )
    if form.is_bound and form.is_valid():
        try:
            mailbox = services.mailbox_update(
                shop=shop, mailbox=mailbox, **form.service_fields(teams)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De mailbox is opgeslagen."))
            if _CONNECTION_FIELDS & set(form.changed_data):
                _report_as_messages(
                    request, services.mailbox_connection_test(shop=shop, mailbox=mailbox)
                )
            return redirect("web:mailboxes:detail", mailbox_id=mailbox.pk)
    return _detail_page(request, mailbox, form=form)


@never_cache
@require_POST
@agent_required(Role.ADMIN)
def mailbox_test(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """Sign in to both servers now and show what worked, on the mailbox's page."""
    shop = request_membership(request).shop
    mailbox = selectors.access_mailbox(shop=shop, mailbox_id=mailbox_id)
    report = services.mailbox_connection_test(shop=shop, mailbox=mailbox)
    return _detail_page(request, mailbox, report=report)


@require_POST
@agent_required(Role.ADMIN)
def mailbox_delete(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    mailbox = selectors.access_mailbox(shop=shop, mailbox_id=mailbox_id)
    services.mailbox_delete(shop=shop, mailbox=mailbox)
    messages.success(
        request, _("De mailbox %(name)s is verwijderd.") % {"name": mailbox.email_address}
    )
    return redirect("web:mailboxes:list")


@agent_required(Role.ADMIN)
def rejected_list(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    mailbox = selectors.access_mailbox(shop=shop, mailbox_id=mailbox_id)
    rejected = selectors.rejected_email_list(shop=shop, mailbox=mailbox)
    page = Paginator(rejected, REJECTED_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request, "channels/settings/rejected_list.html", {"mailbox": mailbox, "page": page}
    )


@agent_required(Role.ADMIN)
def rejected_download(request: HttpRequest, mailbox_id: int, rejected_id: int) -> FileResponse:
    """The original email as a file to download, never shown in the browser: it is whatever
    someone sent, scripts included."""
    shop = request_membership(request).shop
    mailbox = selectors.access_mailbox(shop=shop, mailbox_id=mailbox_id)
    rejected = selectors.access_rejected_email(shop=shop, mailbox=mailbox, rejected_id=rejected_id)
    return _eml_response(rejected)


def _eml_response(rejected: RejectedEmail) -> FileResponse:
    try:
        handle = rejected.raw.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404("the rejected email's file is gone from storage") from None
    response = FileResponse(handle, content_type="message/rfc822")
    response["Content-Disposition"] = content_disposition(
        f"geweigerd-{rejected.mailbox_id}-{rejected.uid}.eml"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _teams(shop: Shop) -> dict[int, Team]:
    return {team.pk: team for team in tenancy_selectors.team_list(shop=shop)}


def _form_error(form: MailboxForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _report_as_messages(request: HttpRequest, report: ConnectionReport) -> None:
    for label, check in (
        (_("Ontvangen (IMAP)"), report.imap),
        (_("Versturen (SMTP)"), report.smtp),
    ):
        if check is None:
            messages.warning(
                request,
                _(
                    "Versturen (SMTP): geen server ingevuld. Antwoorden gaan via een andere "
                    "mailbox."
                ),
            )
            continue
        text = f"{label}: {check.message}"
        if check.ok:
            messages.success(request, text)
        else:
            messages.error(request, text)
        if check.warning:
            messages.warning(request, f"{label}: {check.warning}")


def _detail_page(
    request: HttpRequest,
    mailbox: Mailbox,
    *,
    form: MailboxForm | None = None,
    report: ConnectionReport | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "mailbox": mailbox,
        "state": selectors.mailbox_state(mailbox, now=timezone.now()),
        "form": form or MailboxForm(teams=list(_teams(mailbox.shop).values()), mailbox=mailbox),
        "report": report,
        "recent_rejected": selectors.rejected_email_list(shop=mailbox.shop, mailbox=mailbox)[:5],
    }
    return render(request, "channels/settings/mailbox_detail.html", context)
