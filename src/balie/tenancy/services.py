"""Writes for shops, agents, teams and API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from balie.core import tasks as core_tasks
from balie.tenancy import errors
from balie.tenancy.models import (
    ApiKey,
    AssignmentMode,
    BusinessHours,
    ContactChannel,
    ContactOption,
    Membership,
    Role,
    Shop,
    Team,
    User,
)

API_KEY_PREFIX = "balie"
# Touch last_used_at at most this often per key, so API calls do not each write a row.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

DEFAULT_WEEK = [(weekday, dt.time(9), dt.time(17)) for weekday in range(5)]
TEAM_NAME_MAX = 80
# An agent with more open conversations than this is not "capacity", it is a backlog.
CAPACITY_MAX = 999


@transaction.atomic
def shop_create(*, name: str, slug: str, support_email: str = "", website_url: str = "") -> Shop:
    """A new shop with Monday–Friday 9:00–17:00 hours and an email contact option.

    Raises SlugTaken when another shop has the slug.
    """
    if Shop.objects.filter(slug=slug).exists():
        raise errors.SlugTaken(
            _("Er is al een winkel met de korte naam %(slug)s.") % {"slug": slug}, field="slug"
        )
    shop = Shop(name=name, slug=slug, support_email=support_email, website_url=website_url)
    shop.full_clean()
    shop.save()
    BusinessHours.objects.bulk_create(
        BusinessHours(shop=shop, weekday=weekday, opens_at=opens, closes_at=closes)
        for weekday, opens, closes in DEFAULT_WEEK
    )
    ContactOption.objects.create(
        shop=shop,
        channel=ContactChannel.EMAIL,
        label=_("E-mail"),
        value=support_email,
        response_minutes=8 * 60,
    )
    return shop


@transaction.atomic
def agent_create(
    *,
    shop: Shop,
    email: str,
    role: Role = Role.AGENT,
    full_name: str = "",
    password: str | None = None,
) -> Membership:
    """Make `email` an agent of `shop`, creating the user when new.

    A new user without a password cannot sign in until they set one via `password_set_link`.
    Raises AlreadyMember when the user already works for this shop.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, full_name=full_name)
    elif Membership.objects.for_shop(shop).filter(user=user).exists():
        raise errors.AlreadyMember(
            _("%(email)s werkt al voor %(shop)s.") % {"email": email, "shop": shop.name},
            field="email",
        )
    return Membership.objects.create(shop=shop, user=user, role=role)


def password_set_link(*, user: User) -> str:
    """An absolute link that lets `user` choose a password (valid for PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "web:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.BALIE_BASE_URL}{path}"


@transaction.atomic
def team_create(
    *,
    shop: Shop,
    name: str,
    members: list[Membership] | None = None,
    assignment: AssignmentMode | str = AssignmentMode.MANUAL,
) -> Team:
    """A team of this shop's agents; members of other shops are refused (ValueError).

    Raises TeamNameInvalid, TeamNameTaken or AssignmentModeInvalid, and then stores nothing.
    """
    if any(member.shop_id != shop.id for member in members or []):
        raise ValueError("team members must work for the team's shop")
    name = " ".join(name.split())
    if not name or len(name) > TEAM_NAME_MAX:
        raise errors.TeamNameInvalid(
            _("Een teamnaam heeft 1 tot %(max)d tekens.") % {"max": TEAM_NAME_MAX}, field="name"
        )
    try:
        mode = AssignmentMode(assignment)
    except ValueError:
        raise errors.AssignmentModeInvalid(
            _("Kies handmatig, om de beurt of minst drukke medewerker."), field="assignment"
        ) from None
    if Team.objects.for_shop(shop).filter(name__iexact=name).exists():
        raise errors.TeamNameTaken(
            _("Er is al een team met de naam %(name)s.") % {"name": name}, field="name"
        )
    try:
        with transaction.atomic():
            team = Team.objects.create(shop=shop, name=name, assignment=mode)
    except IntegrityError:
        raise errors.TeamNameTaken(
            _("Er is al een team met de naam %(name)s.") % {"name": name}, field="name"
        ) from None
    if members:
        team.members.set(members)
    return team


@transaction.atomic
def team_update(
    *,
    shop: Shop,
    team: Team,
    name: str | None = None,
    assignment: AssignmentMode | str | None = None,
    members: list[Membership] | None = None,
) -> Team:
    """Rename the team, change how it assigns conversations, or replace its members; None
    leaves a field as it is. Members must work for the shop (inactive ones may stay: they
    get no conversations). Raises TeamNameTaken, TeamNameInvalid, AssignmentModeInvalid or
    TeamMemberNotInShop, and then changes nothing."""
    if team.shop_id != shop.pk:
        raise ValueError("team belongs to another shop")
    fields = []
    if name is not None:
        name = " ".join(name.split())
        if not name or len(name) > TEAM_NAME_MAX:
            raise errors.TeamNameInvalid(
                _("Een teamnaam heeft 1 tot %(max)d tekens.") % {"max": TEAM_NAME_MAX},
                field="name",
            )
        if (
            name != team.name
            and Team.objects.for_shop(shop).filter(name__iexact=name).exclude(pk=team.pk).exists()
        ):
            raise errors.TeamNameTaken(
                _("Er is al een team met de naam %(name)s.") % {"name": name}, field="name"
            )
        team.name = name
        fields.append("name")
    if assignment is not None:
        try:
            team.assignment = AssignmentMode(assignment)
        except ValueError:
            raise errors.AssignmentModeInvalid(
                _("Kies handmatig, om de beurt of minst drukke medewerker."), field="assignment"
            ) from None
        fields.append("assignment")
    if members is not None and any(member.shop_id != shop.pk for member in members):
        raise errors.TeamMemberNotInShop(
            _("Alleen medewerkers van deze winkel kunnen in het team."), field="members"
        )
    if fields:
        try:
            with transaction.atomic():
                team.save(update_fields=[*fields, "updated_at"])
        except IntegrityError:  # renamed concurrently to the same name
            raise errors.TeamNameTaken(
                _("Er is al een team met de naam %(name)s.") % {"name": name}, field="name"
            ) from None
    if members is not None:
        team.members.set(members)
    return team


@transaction.atomic
def membership_update(
    *, shop: Shop, membership: Membership, max_open_conversations: int | None
) -> Membership:
    """Set how many active (open, pending, snoozed) conversations automatic assignment gives
    this agent at most; None for no maximum, 0 for none at all. Who may change it (admins)
    is the caller's check. Raises CapacityInvalid outside 0..CAPACITY_MAX."""
    if membership.shop_id != shop.pk:
        raise ValueError("membership belongs to another shop")
    if max_open_conversations is not None and (
        not isinstance(max_open_conversations, int)
        or isinstance(max_open_conversations, bool)
        or not 0 <= max_open_conversations <= CAPACITY_MAX
    ):
        raise errors.CapacityInvalid(
            _("Kies een maximum van 0 tot %(max)d open gesprekken, of laat het leeg.")
            % {"max": CAPACITY_MAX},
            field="max_open_conversations",
        )
    membership.max_open_conversations = max_open_conversations
    membership.save(update_fields=["max_open_conversations", "updated_at"])
    return membership


@transaction.atomic
def membership_role_set(
    *, shop: Shop, membership: Membership, role: Role | str, actor: Membership
) -> Membership:
    """Give the agent another role. Owners and admins may (`actor`); only an owner gives or
    takes the owner role. A shop always keeps an active owner: the last one cannot step
    down (LastOwner). Locks the shop's active owners (in primary-key order) first, so two
    owners stepping down at once still leave one. Raises RoleInvalid, RoleChangeForbidden
    or LastOwner, and then changes nothing."""
    if membership.shop_id != shop.pk or actor.shop_id != shop.pk:
        raise ValueError("membership and actor must work for the shop")
    try:
        new = Role(role)
    except ValueError:
        raise errors.RoleInvalid(_("Kies een bestaande rol."), field="role") from None
    old = Role(membership.role)
    if not actor.has_role(Role.ADMIN):
        raise errors.RoleChangeForbidden(
            _("Alleen een eigenaar of beheerder kan rollen veranderen."), field="role"
        )
    if Role.OWNER in (old, new) and actor.role != Role.OWNER:
        raise errors.RoleChangeForbidden(
            _(
                "Alleen een eigenaar kan iemand eigenaar maken, of een eigenaar een andere rol "
                "geven."
            ),
            field="role",
        )
    if old == new:
        return membership
    owners = list(
        Membership.objects.for_shop(shop)
        .filter(role=Role.OWNER, is_active=True)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if old == Role.OWNER and not [pk for pk in owners if pk != membership.pk]:
        raise errors.LastOwner(
            _("De winkel heeft altijd een eigenaar. Maak eerst iemand anders eigenaar."),
            field="role",
        )
    membership.role = new
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def agent_invite(
    *, shop: Shop, email: str, role: Role | str, invited_by: Membership, full_name: str = ""
) -> Membership:
    """Make `email` an agent of the shop and mail them an invitation after the commit: a
    link to choose a password (new users) or to sign in (people who already use Balie).

    Only an owner invites an owner. Raises AlreadyMember, RoleInvalid or
    RoleChangeForbidden. The mail is sent by the worker (`core.tasks.system_mail_send`).
    """
    try:
        chosen = Role(role)
    except ValueError:
        raise errors.RoleInvalid(_("Kies een bestaande rol."), field="role") from None
    if invited_by.shop_id != shop.pk or not invited_by.has_role(Role.ADMIN):
        raise errors.RoleChangeForbidden(
            _("Alleen een eigenaar of beheerder kan collega’s uitnodigen."), field="role"
        )
    if chosen == Role.OWNER and invited_by.role != Role.OWNER:
        raise errors.RoleChangeForbidden(
            _("Alleen een eigenaar kan een eigenaar uitnodigen."), field="role"
        )
    full_name = " ".join(full_name.split())[:150]
    membership = agent_create(shop=shop, email=email, role=chosen, full_name=full_name)
    user = membership.user
    if not user.full_name and full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    subject, body = _invitation(membership=membership, invited_by=invited_by)
    transaction.on_commit(
        partial(core_tasks.system_mail_send.enqueue, to=[user.email], subject=subject, body=body)
    )
    return membership


def _invitation(*, membership: Membership, invited_by: Membership) -> tuple[str, str]:
    shop, user = membership.shop, membership.user
    with translation.override(shop.default_locale):
        values = {
            "name": user.first_name,
            "inviter": invited_by.user.full_name or invited_by.user.email,
            "shop": shop.name,
            "role": Role(membership.role).label.lower(),
            "login": f"{settings.BALIE_BASE_URL}{reverse('web:login')}",
        }
        subject = _("Je bent uitgenodigd voor %(shop)s in Balie") % values
        lines = [_("Hoi %(name)s,") % values, ""]
        lines.append(
            _("%(inviter)s heeft je toegevoegd als %(role)s van %(shop)s in Balie.") % values
        )
        lines.append("")
        if user.has_usable_password():
            lines.append(_("Log in met je e-mailadres en je wachtwoord:"))
            lines.append(values["login"])
        else:
            lines.append(_("Kies eerst een wachtwoord via deze link:"))
            lines.append(password_set_link(user=user))
            lines.append("")
            lines.append(_("Werkt de link niet meer? Vraag dan op de inlogpagina een nieuwe aan."))
        lines += ["", _("Tot zo in Balie!")]
    return str(subject), "\n".join(str(line) for line in lines)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, shop: Shop, name: str, created_by: User | None = None) -> tuple[ApiKey, str]:
    """A new API key for `shop`. Returns the row and the full key, which is never stored."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        shop=shop, name=name, prefix=prefix, digest=_digest(secret), created_by=created_by
    )
    return key, f"{API_KEY_PREFIX}_{prefix}_{secret}"


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key`, or None. Compares digests in constant time."""
    parts = raw_key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        return None
    _label, prefix, secret = parts
    key: ApiKey | None = (
        ApiKey.objects.select_related("shop").filter(prefix=prefix, revoked_at__isnull=True).first()
    )
    if (
        key is None
        or not key.shop.is_active
        or not secrets.compare_digest(key.digest, _digest(secret))
    ):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def api_key_revoke(*, shop: Shop, key_id: int) -> None:
    """Revoke one of this shop's keys; idempotent."""
    ApiKey.objects.for_shop(shop).filter(pk=key_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
