"""The settings index at /app/instellingen/ (owners and admins): every settings page of the
shop, grouped, each with a line on how it stands now, and what is still to do.

The pages themselves live with what they set up: mailboxes in `channels.views`, opening
hours and contact options in `tenancy.hours_views`, teams and agents in
`tenancy.people_views`, SLA, inbox and labels in `inbox.settings_views`, macros in
`inbox.macro_views`, webhooks in `webhooks.views`, API keys in `web.account_views`, the
knowledge base's synonyms and threshold in `knowledge.settings_views`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balie.channels.models import Mailbox
from balie.inbox import selectors as inbox_selectors
from balie.inbox.models import Macro, SlaPolicy, Tag
from balie.knowledge.models import DEFAULT_ANSWER_THRESHOLD, KnowledgeSettings
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import ApiKey, ContactOption, Membership, Role, Shop, Team
from balie.webhooks.models import WebhookEndpoint


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    description: str
    status: str
    needs_attention: bool = False


@dataclass(frozen=True)
class Group:
    title: str
    sections: list[Section]


@agent_required(Role.ADMIN)
def settings_index(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    groups = _groups(shop)
    todo = [section for group in groups for section in group.sections if section.needs_attention]
    return render(request, "web/settings/index.html", {"groups": groups, "todo": todo})


def _n(text: str, count: int) -> str:
    """`ngettext`'s answer with the count filled in (the msgids stay literal for makemessages)."""
    return text % {"count": count}


def _groups(shop: Shop) -> list[Group]:
    mailboxes = Mailbox.objects.for_shop(shop).aggregate(
        total=Count("id"), failing=Count("id", filter=~Q(last_error=""))
    )
    boxes, failing = mailboxes["total"], mailboxes["failing"]
    policies = SlaPolicy.objects.for_shop(shop).filter(is_active=True).count()
    options = ContactOption.objects.for_shop(shop).filter(is_active=True).count()
    agents = Membership.objects.for_shop(shop).filter(is_active=True).count()
    teams = Team.objects.for_shop(shop).count()
    shared_macros = Macro.objects.for_shop(shop).filter(owner__isnull=True).count()
    tags = Tag.objects.for_shop(shop).count()
    keys = ApiKey.objects.for_shop(shop).filter(revoked_at__isnull=True).count()
    webhooks = WebhookEndpoint.objects.for_shop(shop).count()
    settings = inbox_selectors.inbox_settings_get(shop=shop)
    knowledge = KnowledgeSettings.objects.filter(shop=shop).first()
    threshold = round(100 * (knowledge.answer_threshold if knowledge else DEFAULT_ANSWER_THRESHOLD))
    on, off = _("aan"), _("uit")

    if boxes:
        mailbox_status = _n(ngettext("%(count)d mailbox", "%(count)d mailboxen", boxes), boxes)
    else:
        mailbox_status = _("Nog geen mailbox: Balie ontvangt nog geen e-mail.")
    if failing:
        mailbox_status += ", " + _n(
            ngettext("%(count)d met een fout", "%(count)d met een fout", failing), failing
        )
    if policies:
        sla_status = _n(
            ngettext("%(count)d actieve afspraak", "%(count)d actieve afspraken", policies),
            policies,
        )
    else:
        sla_status = _("Nog geen afspraken: gesprekken hebben geen deadline.")
    return [
        Group(
            _("E-mail"),
            [
                Section(
                    _("Mailboxen"),
                    reverse("web:mailboxes:list"),
                    _("De mailboxen die Balie leest en waarmee je antwoordt."),
                    mailbox_status,
                    needs_attention=not boxes or bool(failing),
                ),
            ],
        ),
        Group(
            _("Bereikbaarheid"),
            [
                Section(
                    _("Openingstijden en sluitingsdagen"),
                    reverse("web:shop_settings:hours"),
                    _(
                        "Je week, feestdagen en eigen sluitingsdagen. Alleen open uren tellen "
                        "voor deadlines."
                    ),
                    _("Tijdzone %(zone)s") % {"zone": shop.time_zone},
                ),
                Section(
                    _("Contactmogelijkheden"),
                    reverse("web:shop_settings:contact_options"),
                    _("Hoe klanten je bereiken en hoe snel je belooft te reageren."),
                    _n(ngettext("%(count)d actief", "%(count)d actief", options), options),
                ),
                Section(
                    _("SLA-afspraken"),
                    reverse("web:inbox_settings:sla"),
                    _("Hoe snel je reageert en oplost, per prioriteit en kanaal."),
                    sla_status,
                    needs_attention=not policies,
                ),
            ],
        ),
        Group(
            _("Mensen"),
            [
                Section(
                    _("Medewerkers"),
                    reverse("web:shop_settings:agents"),
                    _("Wie er meewerkt, met rol, werktijden en maximum aantal gesprekken."),
                    _n(ngettext("%(count)d medewerker", "%(count)d medewerkers", agents), agents),
                ),
                Section(
                    _("Teams"),
                    reverse("web:shop_settings:teams"),
                    _("Groepen medewerkers met hun eigen wachtrij en manier van toewijzen."),
                    _n(ngettext("%(count)d team", "%(count)d teams", teams), teams),
                ),
            ],
        ),
        Group(
            _("Inbox"),
            [
                Section(
                    _("Inbox"),
                    reverse("web:inbox_settings:inbox"),
                    _(
                        "Samenvoegen van berichten, standaardteam, ontvangstbevestiging en "
                        "tevredenheid."
                    ),
                    _("Bevestiging %(reply)s, tevredenheid %(csat)s")
                    % {
                        "reply": on if settings.auto_reply_enabled else off,
                        "csat": on if settings.csat_enabled else off,
                    },
                ),
                Section(
                    _("Macro’s"),
                    reverse("web:inbox_settings:macros"),
                    _("Kant-en-klare antwoorden met variabelen en acties."),
                    _n(
                        ngettext(
                            "%(count)d gedeelde macro", "%(count)d gedeelde macro’s", shared_macros
                        ),
                        shared_macros,
                    ),
                ),
                Section(
                    _("Labels"),
                    reverse("web:inbox_settings:tags"),
                    _("Hernoemen en opruimen."),
                    _n(ngettext("%(count)d label", "%(count)d labels", tags), tags),
                ),
            ],
        ),
        Group(
            _("Kennisbank"),
            [
                Section(
                    _("Kennisbank en assistent"),
                    reverse("web:knowledge_settings"),
                    _("Synoniemen van je winkel en wanneer de assistent zelf antwoordt."),
                    _("Antwoordt vanaf %(percent)d%% zekerheid") % {"percent": threshold},
                ),
            ],
        ),
        Group(
            _("Koppelingen"),
            [
                Section(
                    _("API-sleutels"),
                    reverse("web:api_keys"),
                    _("Sleutels waarmee andere systemen de API van Balie gebruiken."),
                    _n(
                        ngettext("%(count)d actieve sleutel", "%(count)d actieve sleutels", keys),
                        keys,
                    ),
                ),
                Section(
                    _("Webhooks"),
                    reverse("web:webhooks:list"),
                    _("Balie meldt nieuwe gesprekken en berichten aan je eigen systeem."),
                    _n(ngettext("%(count)d webhook", "%(count)d webhooks", webhooks), webhooks),
                ),
            ],
        ),
    ]
