"""Shops (tenants), their agents and teams, opening hours and contact options."""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel, TimeStampedModel

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Gebruik een kleur als #1a7f5a."))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Onbekende tijdzone: %(value)s"), params={"value": value})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: sign in by reset link
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to Balie: an agent of one or more shops, or staff."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    language = models.CharField(_("taal"), max_length=8, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("beheerder van deze installatie"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email.split("@")[0]


class Shop(TimeStampedModel):
    """A webshop: the tenant. Everything a shop owns points here."""

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    default_locale = models.CharField(_("standaardtaal"), max_length=8, default="nl")
    time_zone = models.CharField(
        _("tijdzone"), max_length=64, default="Europe/Amsterdam", validators=[validate_time_zone]
    )
    holiday_country = models.CharField(_("land voor feestdagen"), max_length=2, default="NL")
    closed_on_public_holidays = models.BooleanField(_("dicht op feestdagen"), default=True)
    brand_colour = models.CharField(
        _("huiskleur"), max_length=7, default="#1a7f5a", validators=[hex_colour]
    )
    logo = models.FileField(_("logo"), upload_to="shops/logos/", blank=True)
    website_url = models.URLField(_("webshop"), blank=True)
    support_email = models.EmailField(_("e-mail klantenservice"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("winkel")
        verbose_name_plural = _("winkels")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class ShopDomain(TimeStampedModel):
    """A host name that serves this shop's public help center (e.g. klantenservice.shop.nl)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domein"), max_length=253, unique=True)
    is_primary = models.BooleanField(_("hoofddomein"), default=False)

    class Meta:
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")
        ordering = ("domain",)

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class BusinessHours(ShopScopedModel):
    """One opening period on a weekday, in the shop's time zone; a day may have several."""

    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens_at = models.TimeField(_("open vanaf"))
    closes_at = models.TimeField(_("open tot"))

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        ordering = ("weekday", "opens_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="business_hours_opens_before_closing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class ClosingDay(ShopScopedModel):
    """A day the shop's service is closed besides public holidays (e.g. company outing)."""

    date = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("sluitingsdag")
        verbose_name_plural = _("sluitingsdagen")
        ordering = ("date",)
        constraints = [
            models.UniqueConstraint(fields=["shop", "date"], name="closing_day_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class ContactChannel(models.TextChoices):
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telefoon")
    CALLBACK = "callback", _("Terugbelverzoek")
    WHATSAPP = "whatsapp", _("WhatsApp")
    MESSENGER = "messenger", _("Messenger")
    INSTAGRAM = "instagram", _("Instagram")
    FORM = "form", _("Contactformulier")


class ContactOption(ShopScopedModel):
    """A way to reach the shop, with the response time it promises shoppers up front."""

    channel = models.CharField(_("kanaal"), max_length=16, choices=ContactChannel.choices)
    label = models.CharField(_("naam"), max_length=80)
    value = models.CharField(
        _("adres of nummer"),
        max_length=254,
        blank=True,
        help_text=_("E-mailadres, telefoonnummer of link."),
    )
    response_minutes = models.PositiveIntegerField(
        _("beloofde reactietijd (minuten)"),
        help_text=_("Binnen hoeveel minuten (binnen openingstijden) je reageert."),
    )
    business_hours_only = models.BooleanField(_("alleen tijdens openingstijden"), default=True)
    is_active = models.BooleanField(_("actief"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("contactmogelijkheid")
        verbose_name_plural = _("contactmogelijkheden")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.label


class Role(models.TextChoices):
    OWNER = "owner", _("Eigenaar")
    ADMIN = "admin", _("Beheerder")
    AGENT = "agent", _("Medewerker")
    VIEWER = "viewer", _("Meekijker")


ROLE_RANK = {Role.VIEWER: 0, Role.AGENT: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Presence(models.TextChoices):
    """What an agent says of themselves; only `online` agents get new conversations."""

    ONLINE = "online", _("Beschikbaar")
    AWAY = "away", _("Afwezig")
    OFFLINE = "offline", _("Offline")


class Membership(ShopScopedModel):
    """An agent: a user working for a shop in a role. A user may work for several shops."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.AGENT)
    display_name = models.CharField(_("naam voor klanten"), max_length=80, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    # Chosen by the agent; counts as `online` only while one of their tabs is connected
    # (`presence_seen_at` is renewed by the agent websocket, see `tenancy.presence`).
    presence = models.CharField(
        _("status"), max_length=8, choices=Presence.choices, default=Presence.OFFLINE
    )
    presence_seen_at = models.DateTimeField(_("laatst gezien"), null=True, blank=True)
    # Automatic assignment stops giving this agent conversations at this many open ones.
    max_open_conversations = models.PositiveSmallIntegerField(
        _("maximaal aantal open gesprekken"),
        null=True,
        blank=True,
        help_text=_("Leeg laten voor geen maximum."),
    )
    # Round-robin gives the next conversation to the agent who waited longest for one.
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ("shop", "user__email")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="membership_once_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop_id} ({self.role})"

    def has_role(self, minimum: Role) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[minimum]


class AgentWorkingHours(ShopScopedModel):
    """A period on a weekday an agent works, in the shop's time zone. An agent without any
    follows the shop's business hours; automatic assignment respects either."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    starts_at = models.TimeField(_("vanaf"))
    ends_at = models.TimeField(_("tot"))

    class Meta:
        verbose_name = _("werktijd")
        verbose_name_plural = _("werktijden")
        ordering = ("membership", "weekday", "starts_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="agent_working_hours_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class AssignmentMode(models.TextChoices):
    MANUAL = "manual", _("Handmatig")
    ROUND_ROBIN = "round_robin", _("Om de beurt")
    LEAST_OPEN = "least_open", _("Minst drukke medewerker")


class Team(ShopScopedModel):
    name = models.CharField(_("naam"), max_length=80)
    members = models.ManyToManyField(Membership, related_name="teams", blank=True)
    assignment = models.CharField(
        _("toewijzen"),
        max_length=16,
        choices=AssignmentMode.choices,
        default=AssignmentMode.MANUAL,
        help_text=_(
            "Hoe nieuwe gesprekken van dit team een medewerker krijgen: handmatig, om de beurt, "
            "of naar wie de minste open gesprekken heeft. Alleen beschikbare medewerkers binnen "
            "hun werktijd krijgen gesprekken."
        ),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint("shop", Lower("name"), name="team_name_unique_per_shop")
        ]

    def __str__(self) -> str:
        return self.name


class ApiKey(ShopScopedModel):
    """A per-shop key for integrations. Only a SHA-256 digest of the secret is stored.

    The full key (`balie_<prefix>_<secret>`) is shown once at creation; the prefix finds the
    row, the digest proves the secret. Keys carry 256 bits of randomness, so a fast digest is
    enough (a slow password hash would only slow every API call).
    """

    name = models.CharField(_("naam"), max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} (balie_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
