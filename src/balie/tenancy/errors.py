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
