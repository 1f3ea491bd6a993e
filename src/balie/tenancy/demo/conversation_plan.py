"""How each demo conversation goes: which script, about which order, when each turn was
written, and how far it got by now (see `conversations.py` for the whole picture)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from balie.core.business_hours import Schedule
from balie.customers.models import Customer
from balie.inbox import mentions
from balie.orders.models import Order, PaymentMethod
from balie.tenancy.demo import conversation_scripts as scripts
from balie.tenancy.demo.context import Demo, weighted
from balie.tenancy.demo.shop import NAME, SUPPORT_EMAIL
from balie.tenancy.models import Membership, Team

CONVERSATION_COUNT = 500
SPAN = dt.timedelta(days=90)
C, A, N = scripts.Role.CUSTOMER, scripts.Role.AGENT, scripts.Role.NOTE
RETURNS_TEAM_TOPICS = {"retourneren", "garantie"}
COMPLAINT_TAG = "klacht"
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MONTH_NAMES = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
]  # fmt: skip
# (younger than, {status: weight}): how far a conversation of that age has come.
STATUS_BY_AGE = [
    (dt.timedelta(days=1), {"open": 55, "pending": 20, "snoozed": 5, "resolved": 20}),
    (dt.timedelta(days=4), {"open": 15, "pending": 30, "snoozed": 10, "resolved": 45}),
    (dt.timedelta(days=10), {"open": 3, "pending": 7, "resolved": 90}),
    (SPAN * 2, {"resolved": 82, "closed": 18}),
]
CSAT_SCORES = {5: 55, 4: 25, 3: 10, 2: 5, 1: 5}
CSAT_SCORES_COMPLAINT = {5: 30, 4: 25, 3: 20, 2: 15, 1: 10}


@dataclass
class Turn:
    role: scripts.Role
    text: str
    at: dt.datetime
    author: Membership | None = None


@dataclass
class Planned:
    script: scripts.Script
    customer: Customer
    order: Order | None
    start: dt.datetime
    values: dict[str, str]
    team: Team
    agent: Membership
    colleague: Membership
    turns: list[Turn] = field(default_factory=list)
    status: str = "open"
    assigned: bool = True
    resolved_at: dt.datetime | None = None
    snoozed_until: dt.datetime | None = None
    csat: tuple[dt.datetime, int | None, str, dt.datetime | None] | None = None

    @property
    def tag_names(self) -> list[str]:
        return [self.script.tag] + ([COMPLAINT_TAG] if self.script.complaint else [])


def plan(
    demo: Demo,
    *,
    schedule: Schedule,
    teams: tuple[Team, Team],
    members: dict[int, list[Membership]],
) -> list[Planned]:
    rng = demo.rng
    by_needs = _orders_by_needs(demo)
    weights = [script.weight for script in scripts.SCRIPTS]
    planned: list[Planned] = []
    used: set[int] = set()
    while len(planned) < CONVERSATION_COUNT:
        script = rng.choices(scripts.SCRIPTS, weights)[0]
        chosen = _moment(demo, script.needs, by_needs, used)
        if chosen is None:
            continue
        customer, order, start = chosen
        if order is not None:
            used.add(order.pk)
        team = teams[1] if script.topic in RETURNS_TEAM_TOPICS else teams[0]
        agent, colleague = rng.sample(members[team.pk], 2)
        plan = Planned(
            script=script,
            customer=customer,
            order=order,
            start=start,
            values=_values(demo, customer, order, mentioned=agent),
            team=team,
            agent=agent,
            colleague=colleague,
        )
        _play(demo, plan, schedule)
        planned.append(plan)
    return planned


def _orders_by_needs(
    demo: Demo,
) -> dict[scripts.Needs, list[tuple[Order, dt.datetime, dt.datetime]]]:
    """For each kind of question, the orders it can be about and the window to ask in."""
    now, first = demo.now, demo.now - SPAN
    windows: dict[scripts.Needs, list[tuple[Order, dt.datetime, dt.datetime]]] = defaultdict(list)
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    for order in demo.orders:
        if order.status == "cancelled":
            continue
        candidates = [
            (
                scripts.Needs.UNSHIPPED,
                order.placed_at + 10 * dt.timedelta(minutes=1),
                order.shipped_at or order.placed_at + 2 * day,
            ),
        ]
        if order.shipped_at:
            candidates.append(
                (scripts.Needs.SHIPPED, order.shipped_at + hour, order.delivered_at or now)
            )
        if order.delivered_at:
            candidates += [
                (
                    scripts.Needs.DELIVERED,
                    order.delivered_at + 2 * hour,
                    order.delivered_at + 20 * day,
                ),
                (
                    scripts.Needs.OLDER,
                    order.delivered_at + 60 * day,
                    order.delivered_at + 300 * day,
                ),
            ]
            if order.payment_method == PaymentMethod.AFTERPAY:
                candidates.append(
                    (
                        scripts.Needs.PAY_LATER,
                        order.delivered_at + 3 * day,
                        order.delivered_at + 25 * day,
                    )
                )
        for needs, opens, closes in candidates:
            opens, closes = max(opens, first), min(closes, now - 5 * dt.timedelta(minutes=1))
            if opens < closes:
                windows[needs].append((order, opens, closes))
    return windows


def _moment(
    demo: Demo,
    needs: scripts.Needs,
    by_needs: dict[scripts.Needs, list[tuple[Order, dt.datetime, dt.datetime]]],
    used: set[int],
) -> tuple[Customer, Order | None, dt.datetime] | None:
    rng = demo.rng
    if needs == scripts.Needs.NOTHING:
        # More questions lately: the shop is growing.
        age = SPAN * (rng.random() ** 1.4)
        return rng.choice(demo.customers), None, _waking(demo, demo.now - age, demo.now)
    free = [window for window in by_needs.get(needs, []) if window[0].pk not in used]
    if not free:
        return None
    order, opens, closes = rng.choice(free)
    start = opens + (closes - opens) * rng.random()
    return order.customer, order, _waking(demo, start, demo.now)


def _waking(demo: Demo, moment: dt.datetime, now: dt.datetime) -> dt.datetime:
    """`moment` moved out of the night (before 7:00 in the shop's time), never after now."""
    rng = demo.rng
    local = moment.astimezone(demo.shop.tz)
    if local.hour < 7:
        moment += dt.timedelta(hours=7 - local.hour, minutes=rng.randrange(60))
    moment = moment.replace(microsecond=0)
    return min(moment, now - dt.timedelta(minutes=rng.randrange(5, 30)))


def _values(
    demo: Demo, customer: Customer, order: Order | None, *, mentioned: Membership
) -> dict[str, str]:
    rng = demo.rng
    lines = list(order.lines.all()) if order is not None else []
    product = rng.choice(lines).name if lines else rng.choice(demo.products).name
    moment = order.delivered_at or order.placed_at if order is not None else demo.now
    address = demo.fake.street_address() + ", " + demo.fake.city()
    return {
        "voornaam": customer.first_name,
        "achternaam": customer.last_name,
        "order": order.number if order else "",
        "product": product,
        "vervoerder": (order.carrier if order else "") or "PostNL",
        "track": (order.tracking_code if order else "") or "3SDPOL000000000",
        "bedrag": f"{(order.total_cents if order else 0) / 100:.2f}".replace(".", ","),
        "factuur": f"F{order.number.removeprefix('DP')}" if order else "",
        "adres": address,
        "maand": MONTH_NAMES[moment.month - 1],
        "bedrijf": rng.choice(scripts.COMPANY_NAMES),
        "collega": mentions.handle(mentioned),  # a colleague's note asks the assignee
    }


def _play(demo: Demo, plan: Planned, schedule: Schedule) -> None:
    """The turns up to where this conversation is now, their moments, its status."""
    rng, now = demo.rng, demo.now
    at = plan.start
    timeline: list[Turn] = []
    for index, (role, text) in enumerate(plan.script.turns):
        if index and role == N:
            at += dt.timedelta(minutes=rng.randrange(5, 60))
        elif index and role == A:
            minutes = int(rng.lognormvariate(4.3, 0.8))  # median about 75 working minutes
            if plan.script.priority != "normal":
                minutes //= 2
            at = schedule.add_working_minutes(at, max(minutes, 4)) or at
            at += dt.timedelta(seconds=rng.randrange(60))
        elif index:
            at = _waking(demo, at + dt.timedelta(hours=rng.uniform(0.3, 26)), now + SPAN)
        if at > now:
            break
        author = plan.agent if role == A else plan.colleague if role == N else None
        timeline.append(Turn(role, text, at, author))
    status = weighted(rng, _status_weights(now - plan.start))
    complete = len(timeline) == len(plan.script.turns)
    if status in ("resolved", "closed") and not complete:
        status = "pending" if timeline[-1].role == A else "open"
    if status in ("pending", "snoozed") and not any(t.role == A for t in timeline):
        status = "open"
    if status == "open":
        # Ends with a customer message; a new question is answered within a day, older open
        # conversations are mostly ones the customer wrote back to.
        customer_turns = [i for i, turn in enumerate(timeline) if turn.role == C]
        fresh = now - plan.start < dt.timedelta(days=1)
        later = customer_turns[1:] if not fresh and rng.random() < 0.8 else []
        last = rng.choice(later) if later else customer_turns[0]
        timeline = timeline[: last + 1]
        plan.assigned = any(t.role == A for t in timeline) or rng.random() < 0.4
    elif status in ("pending", "snoozed"):
        agent_turns = [i for i, turn in enumerate(timeline) if turn.role == A]
        timeline = timeline[: rng.choice(agent_turns) + 1]
        if status == "snoozed":
            plan.snoozed_until = (now + dt.timedelta(days=rng.randint(1, 4))).replace(
                hour=8, minute=30, second=0, microsecond=0
            )
    else:
        last_at = timeline[-1].at
        plan.resolved_at = min(
            schedule.add_working_minutes(last_at, rng.randint(2, 90)) or now, now
        )
        _rate(demo, plan, plan.resolved_at)
    plan.status = status
    for turn in timeline:
        plan.turns.append(_written(demo, plan, turn, plan.turns))


def _rate(demo: Demo, plan: Planned, resolved_at: dt.datetime) -> None:
    """Asked an hour after resolving; nearly half answer, complaints less happily."""
    rng, now = demo.rng, demo.now
    asked = resolved_at + dt.timedelta(hours=1)
    if asked > now:
        return
    answered = asked + dt.timedelta(minutes=rng.randrange(5, 2 * 24 * 60))
    if rng.random() > 0.45 or answered > now:
        plan.csat = (asked, None, "", None)
        return
    score = weighted(rng, CSAT_SCORES_COMPLAINT if plan.script.complaint else CSAT_SCORES)
    comment = rng.choice(scripts.CSAT_COMMENTS[score]) if rng.random() < 0.4 else ""
    plan.csat = (asked, score, comment, answered)


def _written(demo: Demo, plan: Planned, turn: Turn, before: list[Turn]) -> Turn:
    """The turn as the email (or note) it became: greeting, closing, quoted answer."""
    rng, values = demo.rng, plan.values
    text = turn.text.format_map(values)
    english = plan.script.language == "en"
    if turn.role == A:
        language = "en" if english else "nl"
        opening = scripts.AGENT_OPENING[language].format_map(values)
        name = turn.author.display_name or turn.author.user.full_name if turn.author else ""
        closing = scripts.AGENT_CLOSING[language].format(agent=name)
        text = f"{opening}\n\n{text}\n\n{closing}"
    elif turn.role == C:
        first = not before
        greeting = (
            "" if english or not (first or rng.random() < 0.3) else rng.choice(scripts.GREETINGS)
        )
        closing = values["voornaam"] if english else rng.choice(scripts.CUSTOMER_CLOSINGS)
        text = "\n\n".join(part for part in (greeting, text, closing.format_map(values)) if part)
        if rng.random() < 0.2:
            text += f"\n\n{scripts.PHONE_FOOTER}"
        answered = next((t for t in reversed(before) if t.role == A), None)
        if answered is not None and rng.random() < 0.7:
            text += "\n\n" + _quoted(answered, demo.shop.tz)
    return Turn(turn.role, text, turn.at, turn.author)


def _quoted(turn: Turn, tz: dt.tzinfo) -> str:
    local = turn.at.astimezone(tz)
    header = (
        f"Op {DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} om "
        f"{local:%H:%M} schreef {NAME} <{SUPPORT_EMAIL}>:"
    )
    return header + "\n" + "\n".join(f"> {line}".rstrip() for line in turn.text.splitlines())


def _status_weights(age: dt.timedelta) -> dict[str, int]:
    return next(weights for younger_than, weights in STATUS_BY_AGE if age < younger_than)
