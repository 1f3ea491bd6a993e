"""Small words for the workspace templates: how long ago, how much SLA time is left, what an
event in the trail means, an agent's initials."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balie.core import money
from balie.inbox.models import (
    ConversationEvent,
    ConversationStatus,
    EventKind,
    Priority,
    SlaState,
)
from balie.tenancy.models import Membership, Team

register = template.Library()


@register.filter
def ago(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "zojuist", "12 min", "3 uur", "gisteren", "di 14:05", "3 nov." — for list rows."""
    if moment is None:
        return ""
    now = now or timezone.now()
    seconds = (now - moment).total_seconds()
    local, local_now = timezone.localtime(moment), timezone.localtime(now)
    if seconds < 60:
        return _("zojuist")
    if seconds < 3600:
        return _("%(minutes)d min") % {"minutes": seconds // 60}
    if local.date() == local_now.date():
        return _("%(hours)d uur") % {"hours": seconds // 3600}
    if local.date() == local_now.date() - dt.timedelta(days=1):
        return _("gisteren")
    if seconds < 6 * 86400:
        return date_format(local, "D H:i")
    if local.year == local_now.year:
        return date_format(local, "j b")
    return date_format(local, "j b Y")


def _duration(minutes: int) -> str:
    if minutes < 60:
        return ngettext("%(n)d minuut", "%(n)d minuten", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(n)d uur", "%(n)d uur", hours) % {"n": hours}
    return ngettext("%(n)d dag", "%(n)d dagen", hours // 24) % {"n": hours // 24}


@dataclass(frozen=True)
class SlaBadge:
    text: str
    level: str  # "ok", "warning" or "breached": the badge's colour
    title: str


@register.simple_tag
def sla_badge(conversation: object, now: dt.datetime) -> SlaBadge | None:
    """The next SLA deadline of a conversation as "nog 25 min" or "12 min te laat"."""
    due = getattr(conversation, "sla_due_at", None)
    if due is None:
        return None
    states = {
        getattr(conversation, "sla_first_response_state", ""),
        getattr(conversation, "sla_resolution_state", ""),
    }
    minutes = int(abs((due - now).total_seconds()) // 60)
    title = _("Deadline %(moment)s") % {"moment": date_format(timezone.localtime(due), "D j b H:i")}
    if due <= now or SlaState.BREACHED in states:
        return SlaBadge(_("%(time)s te laat") % {"time": _duration(minutes)}, "breached", title)
    level = "warning" if SlaState.WARNING in states else "ok"
    return SlaBadge(_("nog %(time)s") % {"time": _duration(minutes)}, level, title)


@register.filter
def initials(agent: Membership | None) -> str:
    if agent is None:
        return ""
    name = agent.display_name or agent.user.full_name or agent.user.email
    parts = [part for part in name.replace("@", " ").replace(".", " ").split() if part]
    return "".join(part[0] for part in parts[:2]).upper()


@register.filter
def agent_name(agent: Membership | None) -> str:
    if agent is None:
        return _("Balie")
    return agent.display_name or agent.user.full_name or agent.user.email


def _label(choices: type[ConversationStatus] | type[Priority], value: object) -> str:
    labels = dict(choices.choices)
    return str(labels.get(str(value), value))


@register.simple_tag
def event_text(
    event: ConversationEvent,
    agents: Mapping[int, Membership],
    teams: Mapping[int, Team],
) -> str:
    """One line of the trail in words: who did what."""
    data = event.data or {}
    who = agent_name(event.actor) if event.actor_id else _("Balie")

    def agent(pk: object) -> str:
        found = agents.get(pk) if isinstance(pk, int) else None
        return agent_name(found) if found else _("niemand")

    match event.kind:
        case EventKind.CREATED:
            return _("Gesprek gestart")
        case EventKind.STATUS_CHANGED if data.get("reason") == "customer_replied":
            return _("Weer open: de klant reageerde")
        case EventKind.STATUS_CHANGED if data.get("reason") == "snooze_ended":
            return _("Weer open: de snooze is voorbij")
        case EventKind.STATUS_CHANGED:
            text = _("%(who)s zette de status op %(status)s") % {
                "who": who,
                "status": _label(ConversationStatus, data.get("new")).lower(),
            }
            if data.get("snoozed_until"):
                until = dt.datetime.fromisoformat(str(data["snoozed_until"]))
                text += " " + _("tot %(moment)s") % {
                    "moment": date_format(timezone.localtime(until), "D j b H:i")
                }
            return text
        case EventKind.ASSIGNED if data.get("new") is None:
            return _("%(who)s haalde de behandelaar weg") % {"who": who}
        case EventKind.ASSIGNED:
            return _("%(who)s wees het gesprek toe aan %(agent)s") % {
                "who": who,
                "agent": agent(data.get("new")),
            }
        case EventKind.TEAM_CHANGED:
            team = teams.get(data["new"]) if isinstance(data.get("new"), int) else None
            return _("%(who)s zette het gesprek bij team %(team)s") % {
                "who": who,
                "team": team.name if team else _("geen"),
            }
        case EventKind.PRIORITY_CHANGED:
            label = _label(Priority, data.get("new")).lower()
            return _("%(who)s zette de prioriteit op %(priority)s") % {
                "who": who,
                "priority": label,
            }
        case EventKind.TAGGED:
            changes = [f"+{name}" for name in data.get("added", [])]
            changes += [f"−{name}" for name in data.get("removed", [])]
            return _("%(who)s wijzigde de labels: %(changes)s") % {
                "who": who,
                "changes": " ".join(changes),
            }
        case EventKind.MERGED if data.get("into"):
            return _("%(who)s voegde dit gesprek samen met #%(reference)s") % {
                "who": who,
                "reference": data.get("into_reference", ""),
            }
        case EventKind.MERGED:
            return _("%(who)s voegde #%(reference)s hierbij (%(count)s berichten)") % {
                "who": who,
                "reference": data.get("merged_from_reference", ""),
                "count": data.get("messages", 0),
            }
        case EventKind.SPLIT if data.get("split_into"):
            return _("%(who)s splitste een bericht af naar #%(reference)s") % {
                "who": who,
                "reference": data.get("split_into_reference", ""),
            }
        case EventKind.SPLIT:
            return _("Afgesplitst van #%(reference)s") % {
                "reference": data.get("split_from_reference", "")
            }
        case EventKind.CSAT_RECEIVED:
            return _("De klant gaf een %(score)s") % {"score": data.get("score", "?")}
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind


@register.filter
def cents(amount: int | None) -> str:
    return "" if amount is None else money.format_cents(amount)


@register.filter
def by_pk(objects: list[object]) -> dict[int, object]:
    return {getattr(item, "pk"): item for item in objects}  # noqa: B009  # any model
