"""Domain errors of the inbox, each with a machine code the API turns into problem JSON."""

from __future__ import annotations

from balie.core.errors import DomainError


class AssigneeNotInShop(DomainError):
    """The agent or team is not (or no longer) part of the conversation's shop."""

    code = "assignee_not_in_shop"
    status = 422


class SnoozeUntilRequired(DomainError):
    code = "snooze_until_required"
    status = 422


class TagNameInvalid(DomainError):
    code = "tag_name_invalid"
    status = 422


class NoteEmpty(DomainError):
    code = "note_empty"
    status = 422


class ThreadWindowInvalid(DomainError):
    code = "thread_window_invalid"
    status = 422


class MergeInvalid(DomainError):
    code = "merge_invalid"
    status = 422


class SplitInvalid(DomainError):
    code = "split_invalid"
    status = 422


class ReplyEmpty(DomainError):
    code = "reply_empty"
    status = 422


class ReplyTooLong(DomainError):
    code = "reply_too_long"
    status = 422


class AttachmentRefused(DomainError):
    """An attachment of a reply is too large (each or together) or empty."""

    code = "attachment_refused"
    status = 422


class CsatLinkInvalid(DomainError):
    """A satisfaction link that was altered, made up, expired or is for no survey."""

    code = "csat_link_invalid"
    status = 404


class CsatScoreInvalid(DomainError):
    code = "csat_score_invalid"
    status = 400


class SlaPolicyInvalid(DomainError):
    code = "sla_policy_invalid"
    status = 422


class SlaPolicyScopeTaken(DomainError):
    """The shop already has a policy for this priority and channel (active or not)."""

    code = "sla_policy_scope_taken"
    status = 409


class TagNameTaken(DomainError):
    code = "tag_name_taken"
    status = 409


class MacroNameTaken(DomainError):
    code = "macro_name_taken"
    status = 409


class MacroInvalid(DomainError):
    """A macro's text or actions cannot work: an unknown placeholder, status, team or tag."""

    code = "macro_invalid"
    status = 422


class InboxSettingsInvalid(DomainError):
    """An inbox setting that cannot work: a team of another shop, an acknowledgement text
    with an unknown placeholder, a survey delay out of range; `field` names it."""

    code = "inbox_settings_invalid"
    status = 422


class TeamDeleteInvalid(DomainError):
    code = "team_delete_invalid"
    status = 422
