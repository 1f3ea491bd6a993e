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
