"""Domain errors of tenancy, each with a machine code the API turns into problem JSON."""

from __future__ import annotations

from balie.core.errors import DomainError


class SlugTaken(DomainError):
    code = "shop_slug_taken"
    status = 409


class AlreadyMember(DomainError):
    code = "agent_already_member"
    status = 409


class TeamNameTaken(DomainError):
    code = "team_name_taken"
    status = 409


class TeamNameInvalid(DomainError):
    code = "team_name_invalid"
    status = 422


class TeamMemberNotInShop(DomainError):
    code = "team_member_not_in_shop"
    status = 422


class AssignmentModeInvalid(DomainError):
    code = "assignment_mode_invalid"
    status = 422


class CapacityInvalid(DomainError):
    code = "capacity_invalid"
    status = 422


class PresenceInvalid(DomainError):
    code = "presence_invalid"
    status = 422


class WorkingHoursInvalid(DomainError):
    code = "working_hours_invalid"
    status = 422


class OpeningHoursInvalid(DomainError):
    """Opening hours that cannot work: a period that ends before it starts, periods that
    overlap, an unknown time zone or country; `field` names the day or setting."""

    code = "opening_hours_invalid"
    status = 422


class ClosingDayInvalid(DomainError):
    code = "closing_day_invalid"
    status = 422


class ContactOptionInvalid(DomainError):
    code = "contact_option_invalid"
    status = 422


class RoleInvalid(DomainError):
    code = "role_invalid"
    status = 422


class RoleChangeForbidden(DomainError):
    """Only an owner gives or takes the owner role; nobody changes a role above their own."""

    code = "role_change_forbidden"
    status = 403


class LastOwner(DomainError):
    """A shop always keeps an active owner: the last one cannot step down."""

    code = "last_owner"
    status = 409
