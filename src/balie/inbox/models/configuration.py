"""What a shop sets up for its inbox: preferences, SLA policies and macros."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel
from balie.inbox.models.conversations import ConversationStatus, Priority
from balie.tenancy.models import ContactChannel

# Gorgias' bounds, which shops know: at least a minute, at most 14 days of working time.
SLA_MAX_MINUTES = 14 * 24 * 60


class InboxSettings(ShopScopedModel):
    """A shop's inbox preferences. Created the first time a shop changes them; until then
    `selectors.inbox_settings_get` answers with the defaults below."""

    thread_window_hours = models.PositiveIntegerField(
        _("venster voor samenvoegen (uren)"),
        default=72,
        validators=[MaxValueValidator(24 * 90)],
        help_text=_(
            "Een nieuw bericht van een klant komt bij een open gesprek van die klant als het "
            "laatste bericht daarin niet ouder is dan dit aantal uren."
        ),
    )
    # New conversations whose channel names no team (a mailbox without one) go to this team.
    default_team = models.ForeignKey(
        "tenancy.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("standaardteam"),
    )
    auto_reply_enabled = models.BooleanField(
        _("ontvangstbevestiging sturen"),
        default=True,
        help_text=_(
            "Bij een nieuwe vraag per e-mail krijgt de klant meteen een bevestiging met de "
            "verwachte reactietijd. Nooit op automatische berichten, en hooguit één per klant "
            "per dag."
        ),
    )
    # Blank: the built-in Dutch text (`inbox.services.auto_reply`); placeholders as in macros.
    auto_reply_text = models.TextField(_("tekst ontvangstbevestiging"), blank=True)
    csat_enabled = models.BooleanField(
        _("tevredenheid vragen"),
        default=True,
        help_text=_("Na het oplossen vraagt Balie de klant om een cijfer van 1 tot 5."),
    )
    csat_delay_minutes = models.PositiveIntegerField(
        _("wachttijd voor de tevredenheidsvraag (minuten)"),
        default=60,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("Gaat het gesprek binnen deze tijd weer open, dan vraagt Balie niets."),
    )

    class Meta:
        verbose_name = _("inbox-instellingen")
        verbose_name_plural = _("inbox-instellingen")
        constraints = [models.UniqueConstraint(fields=["shop"], name="inbox_settings_once")]

    def __str__(self) -> str:
        return f"inbox settings of shop {self.shop_id}"


class SlaPolicy(ShopScopedModel):
    """Response and resolution targets in working minutes, for a priority and/or channel.

    Blank priority or channel means "any"; the most specific active policy applies (see
    `inbox.sla.SlaTargets`). A shop without any policy has no SLA clocks.
    """

    name = models.CharField(_("naam"), max_length=80)
    priority = models.CharField(
        _("prioriteit"), max_length=16, choices=Priority.choices, blank=True
    )
    channel = models.CharField(
        _("kanaal"), max_length=16, choices=ContactChannel.choices, blank=True
    )
    first_response_minutes = models.PositiveIntegerField(
        _("eerste reactie binnen (werkminuten)"),
        validators=[MinValueValidator(1), MaxValueValidator(SLA_MAX_MINUTES)],
    )
    resolution_minutes = models.PositiveIntegerField(
        _("oplossing binnen (werkminuten)"),
        validators=[MinValueValidator(1), MaxValueValidator(SLA_MAX_MINUTES)],
    )
    warn_before_minutes = models.PositiveIntegerField(
        _("waarschuwen vanaf (werkminuten voor de deadline)"),
        default=30,
        validators=[MaxValueValidator(SLA_MAX_MINUTES)],
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("SLA-afspraak")
        verbose_name_plural = _("SLA-afspraken")
        ordering = ("priority", "channel", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "priority", "channel"], name="sla_policy_once_per_scope"
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__gte=1, resolution_minutes__gte=1),
                name="sla_policy_positive_targets",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Macro(ShopScopedModel):
    """A prepared answer with optional actions, shared by the shop or personal to an agent.

    `body` may use placeholders such as `{{ customer.first_name }}` (see `inbox.macros`);
    the agent sees the filled-in text in the reply box and can change it before sending.
    After sending, the actions run: status, priority, tags and team.
    """

    name = models.CharField(_("naam"), max_length=80)
    body = models.TextField(_("tekst"), blank=True)
    # Null: shared with every agent of the shop; else only this agent sees it.
    owner = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        verbose_name=_("van"),
    )
    set_status = models.CharField(
        _("status daarna"), max_length=16, choices=ConversationStatus.choices, blank=True
    )
    set_priority = models.CharField(
        _("prioriteit daarna"), max_length=16, choices=Priority.choices, blank=True
    )
    add_tags = models.JSONField(_("labels toevoegen"), default=list, blank=True)
    set_team = models.ForeignKey(
        "tenancy.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team daarna"),
    )
    usage_count = models.PositiveIntegerField(_("keer gebruikt"), default=0)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macro's")
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(
                "shop",
                Lower("name"),
                condition=models.Q(owner__isnull=True),
                name="macro_shared_name_unique",
            ),
            models.UniqueConstraint(
                "shop",
                "owner",
                Lower("name"),
                condition=models.Q(owner__isnull=False),
                name="macro_personal_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name
