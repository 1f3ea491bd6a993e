"""About 500 email conversations over the last 90 days, and the inbox set up to answer them.

Each conversation plays one of `conversation_scripts.SCRIPTS` about one of the customer's
real orders, at a moment that fits the order (a "where is my parcel" while it was on its
way, a warranty claim months after delivery). Agents answer in the shop's opening hours;
customers write back with the answer quoted. How far a script got follows from its age:
old conversations are resolved (many rated), recent ones are open, waiting on the customer
or snoozed, some unassigned, a few past their SLA. The rows are written in bulk with their
real moments and trail, then the search documents and SLA clocks are computed by the
inbox's own code, so the workspace shows them exactly as it would show live mail.

The demo mailbox only sends (no IMAP server): outside production replies leave through the
installation's mailer, which prints them to the console.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from balie.channels.models import Mailbox
from balie.core.business_hours import Schedule
from balie.customers.models import Customer
from balie.inbox import mentions, search
from balie.inbox.models import (
    ACTIVE_STATUSES,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    InboxSettings,
    Message,
    Notification,
    NotificationKind,
    SlaPolicy,
    Tag,
)
from balie.inbox.models.conversations import REFERENCE_ALPHABET, REFERENCE_LENGTH
from balie.inbox.services import macro_create
from balie.inbox.services import sla as sla_services
from balie.orders.models import Order, PaymentMethod
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.demo import conversation_scripts as scripts
from balie.tenancy.demo.context import Demo, stamp, weighted
from balie.tenancy.demo.shop import NAME, SUPPORT_EMAIL
from balie.tenancy.models import AssignmentMode, ContactChannel, Membership, Team

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
SLA_POLICIES = [
    # (name, priority, first response, resolution, warn before), in working minutes
    ("Standaard", "", 4 * 60, 3 * 8 * 60, 30),
    ("Hoog", "high", 2 * 60, 8 * 60, 30),
    ("Urgent", "urgent", 30, 4 * 60, 10),
]
MACROS = [
    (
        "Retourlabel sturen",
        "Hoi {{ customer.first_name }},\n\nJe krijgt zo een aparte mail met het retourlabel. "
        "Plak het op de doos en lever hem in bij een PostNL-punt. Is je retour binnen, dan "
        "storten we het bedrag binnen 5 werkdagen terug.\n\nGroetjes,\n{{ agent.first_name }}",
        "pending",
        ["retour"],
    ),
    (
        "Pakket onderweg",
        "Hoi {{ customer.first_name }},\n\nJe pakket is onderweg. Met de track & trace in je "
        "verzendmail kun je precies zien wanneer het komt.\n\nGroetjes,\n"
        "{{ agent.first_name }}",
        "resolved",
        ["bezorging"],
    ),
    (
        "Foto's vragen bij garantie",
        "Hoi {{ customer.first_name }},\n\nWat vervelend! Wil je een paar foto's sturen van "
        "het product en van de plek waar het mis is? Dan kijken we meteen wat we kunnen "
        "doen.\n\nGroetjes,\n{{ agent.first_name }}",
        "pending",
        ["garantie"],
    ),
    (
        "Bedankt en afsluiten",
        "Hoi {{ customer.first_name }},\n\nFijn dat het geregeld is. Heb je nog een vraag? "
        "Reageer dan gewoon op deze mail.\n\nGroetjes,\n{{ agent.first_name }}",
        "resolved",
        [],
    ),
]


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


def seed(demo: Demo) -> None:
    shop = demo.shop
    teams = {team.name: team for team in Team.objects.for_shop(shop).prefetch_related("members")}
    general, returns = teams["Klantenservice"], teams["Retouren en reparaties"]
    Team.objects.filter(pk=general.pk).update(assignment=AssignmentMode.ROUND_ROBIN)
    Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address=SUPPORT_EMAIL,
        imap_host="",  # sends only: see the module doc
        sender_name=NAME,
        team=general,
    )
    InboxSettings.objects.create(shop=shop, default_team=general)
    SlaPolicy.objects.bulk_create(
        SlaPolicy(
            shop=shop,
            name=name,
            priority=priority,
            first_response_minutes=first,
            resolution_minutes=resolution,
            warn_before_minutes=warn,
        )
        for name, priority, first, resolution, warn in SLA_POLICIES
    )
    tag_names = sorted({script.tag for script in scripts.SCRIPTS} | {COMPLAINT_TAG})
    tags = {
        tag.name: tag for tag in Tag.objects.bulk_create(Tag(shop=shop, name=n) for n in tag_names)
    }
    for name, body, status, add_tags in MACROS:
        macro_create(shop=shop, name=name, body=body, set_status=status, add_tags=add_tags)
    # Fresh rows: the shop step set the agents' display names after creating them.
    agents = list(Membership.objects.for_shop(shop).select_related("user").order_by("pk"))
    members = {
        team.pk: [agent for agent in agents if agent in list(team.members.all())]
        for team in (general, returns)
    }
    schedule = tenancy_selectors.schedule_for(shop=shop)
    planned = _plan(demo, schedule=schedule, teams=(general, returns), members=members)
    conversations = _store(demo, planned, tags=tags)
    search.conversations_reindex(c.pk for c in conversations)
    policies = sla_services.policies_by_shop([shop.pk])[shop.pk]
    for conversation in conversations:
        if conversation.status in ACTIVE_STATUSES:
            sla_services.conversation_sla_refresh(
                conversation=conversation, now=demo.now, schedule=schedule, policies=policies
            )
    _customers_since(demo, conversations)


def _customers_since(demo: Demo, conversations: list[Conversation]) -> None:
    """A customer is known from their first order or question on (a little before it); one
    with neither signed up some time in the last year."""
    first: dict[int, dt.datetime] = {}
    moments = [(o.customer_id, o.placed_at) for o in demo.orders]
    moments += [(c.customer_id, c.created_at) for c in conversations]
    for customer_id, at in moments:
        first[customer_id] = min(at, first.get(customer_id, at))
    rows = []
    for customer in demo.customers:
        known = first.get(customer.pk) or demo.now - dt.timedelta(days=365) * demo.rng.random()
        since = (known - dt.timedelta(minutes=demo.rng.randrange(3, 90))).replace(microsecond=0)
        customer.created_at = customer.updated_at = since
        rows.append((customer.pk, since, since))
    stamp(Customer, rows)


def _plan(
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


def _store(demo: Demo, planned: list[Planned], *, tags: dict[str, Tag]) -> list[Conversation]:
    """Write the conversations, messages, trail, labels and mentions in bulk, at their own
    moments (the models' auto timestamps are put back afterwards)."""
    shop, rng = demo.shop, demo.rng
    references: dict[str, None] = {}  # in the order drawn: the same on every run
    while len(references) < len(planned):
        references["".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))] = None
    conversations = []
    for plan, reference in zip(planned, references, strict=True):
        answered = [t.at for t in plan.turns if t.role == A]
        subject = rng.choice(plan.script.subjects).format_map(plan.values)
        conversation = Conversation(
            shop=shop,
            customer=plan.customer,
            channel=ContactChannel.EMAIL,
            channel_account=SUPPORT_EMAIL,
            subject=subject,
            status=plan.status,
            priority=plan.script.priority,
            assignee=plan.agent if plan.assigned else None,
            team=plan.team,
            topic=plan.script.topic,
            language=plan.script.language,
            reference=reference,
            first_responded_at=answered[0] if answered else None,
            resolved_at=plan.resolved_at,
            last_message_at=max(t.at for t in plan.turns if t.role != N),
            snoozed_until=plan.snoozed_until,
        )
        if plan.csat is not None:
            asked, score, comment, rated = plan.csat
            conversation.csat_requested_at = asked
            conversation.csat_score = score
            conversation.csat_comment = comment
            conversation.csat_rated_at = rated
        conversations.append(conversation)
    conversations = Conversation.objects.bulk_create(conversations, batch_size=500)
    for plan, conversation in zip(planned, conversations, strict=True):
        conversation.created_at = plan.turns[0].at
        conversation.updated_at = max(conversation.last_message_at, plan.resolved_at or plan.start)
    stamp(Conversation, [(c.pk, c.created_at, c.updated_at) for c in conversations])
    messages: list[Message] = []
    for number, (plan, conversation) in enumerate(zip(planned, conversations, strict=True)):
        messages += _messages(plan, conversation, number)
    written = [message.created_at for message in messages]
    messages = Message.objects.bulk_create(messages, batch_size=500)
    for message, moment in zip(messages, written, strict=True):
        message.created_at = moment
    stamp(Message, [(m.pk, m.created_at, m.created_at) for m in messages])
    by_conversation: dict[int, list[Message]] = defaultdict(list)
    for message in messages:
        by_conversation[message.conversation_id].append(message)
    events: list[ConversationEvent] = []
    notifications: list[Notification] = []
    labels = []
    mentioned = []
    for plan, conversation in zip(planned, conversations, strict=True):
        thread = by_conversation[conversation.pk]
        events += _events(plan, conversation, thread)
        names = [plan.script.tag] + ([COMPLAINT_TAG] if plan.script.complaint else [])
        labels += [
            Conversation.tags.through(conversation_id=conversation.pk, tag_id=tags[name].pk)
            for name in names
        ]
        for message in thread:
            if message.direction == Direction.NOTE:
                mentioned.append(
                    Message.mentions.through(message_id=message.pk, membership_id=plan.agent.pk)
                )
                notifications.append(
                    Notification(
                        shop=shop,
                        recipient=plan.agent,
                        kind=NotificationKind.MENTION,
                        conversation=conversation,
                        message=message,
                        actor=plan.colleague,
                        read_at=None if conversation.is_active else message.created_at,
                    )
                )
    Conversation.tags.through.objects.bulk_create(labels, batch_size=1_000)
    Message.mentions.through.objects.bulk_create(mentioned, batch_size=1_000)
    happened = [event.created_at for event in events]
    events = ConversationEvent.objects.bulk_create(events, batch_size=1_000)
    stamp(ConversationEvent, [(e.pk, at, at) for e, at in zip(events, happened, strict=True)])
    told = [
        notification.message.created_at for notification in notifications if notification.message
    ]
    notifications = Notification.objects.bulk_create(notifications, batch_size=1_000)
    stamp(Notification, [(n.pk, at, at) for n, at in zip(notifications, told, strict=True)])
    return conversations


def _messages(plan: Planned, conversation: Conversation, number: int) -> list[Message]:
    shop_id, customer = conversation.shop_id, plan.customer
    rows = []
    previous = ""
    references: list[str] = []
    for index, turn in enumerate(plan.turns):
        if turn.role == N:
            rows.append(
                Message(
                    shop_id=shop_id,
                    conversation=conversation,
                    direction=Direction.NOTE,
                    author=turn.author,
                    text=turn.text,
                    created_at=turn.at,
                )
            )
            continue
        inbound = turn.role == C
        domain = customer.email.rsplit("@", 1)[-1] if inbound else "pollepel.example"
        external_id = f"demo-{number:03d}-{index}@{domain}"
        subject = (
            conversation.subject
            if index == 0
            else f"Re: [#{conversation.reference}] {conversation.subject}"
        )
        rows.append(
            Message(
                shop_id=shop_id,
                conversation=conversation,
                direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
                delivery_status=DeliveryStatus.NONE if inbound else DeliveryStatus.SENT,
                channel=ContactChannel.EMAIL,
                sender_address=customer.email if inbound else SUPPORT_EMAIL,
                sender_name=customer.full_name if inbound else NAME,
                author=turn.author,
                subject=subject,
                text=turn.text,
                external_id=external_id,
                in_reply_to=previous,
                references=" ".join(references[-50:]),
                recipients=[SUPPORT_EMAIL if inbound else customer.email],
                language=plan.script.language,
                sent_at=turn.at,
                created_at=turn.at,
            )
        )
        previous = external_id
        references.append(external_id)
    return rows


def _events(
    plan: Planned, conversation: Conversation, thread: list[Message]
) -> list[ConversationEvent]:
    """The trail the live inbox would have written for this history."""

    def event(
        kind: EventKind, at: dt.datetime, actor: Membership | None = None, **data: Any
    ) -> ConversationEvent:
        return ConversationEvent(
            shop_id=conversation.shop_id,
            conversation=conversation,
            kind=kind,
            actor=actor,
            data=data,
            created_at=at,
        )

    start = plan.turns[0].at
    events = [
        event(EventKind.CREATED, start, channel=ContactChannel.EMAIL),
        event(EventKind.TEAM_CHANGED, start, old=None, new=plan.team.pk, reason="routing"),
    ]
    if conversation.assignee_id:
        # Round robin hands a new question to an available agent as it arrives.
        assigned_at = start + dt.timedelta(seconds=1)
        events.append(
            event(
                EventKind.ASSIGNED, assigned_at, old=None, new=plan.agent.pk, reason="round_robin"
            )
        )
    status = ConversationStatus.OPEN
    for index, message in enumerate(thread):
        at = message.created_at
        if message.direction == Direction.NOTE:
            events.append(
                event(
                    EventKind.NOTE_ADDED,
                    at,
                    message.author,
                    message_id=message.pk,
                    mentioned=[plan.agent.pk],
                )
            )
            continue
        if message.direction == Direction.INBOUND:
            if status != ConversationStatus.OPEN:
                events.append(
                    event(
                        EventKind.STATUS_CHANGED,
                        at,
                        old=status,
                        new="open",
                        reason="customer_replied",
                    )
                )
                status = ConversationStatus.OPEN
            events.append(
                event(
                    EventKind.MESSAGE_RECEIVED,
                    at,
                    message_id=message.pk,
                    channel="email",
                    threaded_by="new" if index == 0 else "message_id",
                )
            )
            continue
        events.append(
            event(
                EventKind.MESSAGE_SENT, at, message.author, message_id=message.pk, channel="email"
            )
        )
        later = [m for m in thread[index + 1 :] if m.direction != Direction.NOTE]
        if later or plan.status in ("pending", "snoozed"):
            # The agent waits for the customer's answer.
            new = plan.status if not later and plan.status == "snoozed" else "pending"
            events.append(
                event(
                    EventKind.STATUS_CHANGED,
                    at,
                    message.author,
                    old=status,
                    new=new,
                    snoozed_until=plan.snoozed_until.isoformat()
                    if new == "snoozed" and plan.snoozed_until
                    else None,
                )
            )
            status = ConversationStatus(new)
    if plan.resolved_at is not None:
        events.append(
            event(
                EventKind.STATUS_CHANGED, plan.resolved_at, plan.agent, old=status, new="resolved"
            )
        )
        if plan.status == "closed":
            closed_at = plan.resolved_at + dt.timedelta(days=7)
            events.append(
                event(
                    EventKind.STATUS_CHANGED,
                    closed_at,
                    None,
                    old="resolved",
                    new="closed",
                    reason="resolved_7_days",
                )
            )
    names = [plan.script.tag] + ([COMPLAINT_TAG] if plan.script.complaint else [])
    events.append(
        event(
            EventKind.TAGGED,
            start + dt.timedelta(minutes=1),
            plan.agent if conversation.assignee_id else None,
            added=sorted(names),
            removed=[],
        )
    )
    if plan.csat is not None:
        asked, score, _comment, rated = plan.csat
        events.append(event(EventKind.CSAT_REQUESTED, asked))
        if score is not None and rated is not None:
            events.append(
                event(
                    EventKind.CSAT_RECEIVED, rated, old=None, score=score, commented=bool(_comment)
                )
            )
    return events


def _status_weights(age: dt.timedelta) -> dict[str, int]:
    return next(weights for younger_than, weights in STATUS_BY_AGE if age < younger_than)
