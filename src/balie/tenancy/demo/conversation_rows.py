"""The planned demo conversations written as rows in bulk: conversations, messages, the
trail, labels, mentions and notifications, each at the moment it happened."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    Message,
    Notification,
    NotificationKind,
    Tag,
)
from balie.inbox.models.conversations import REFERENCE_ALPHABET, REFERENCE_LENGTH
from balie.tenancy.demo.context import Demo, stamp
from balie.tenancy.demo.conversation_plan import A, C, N, Planned
from balie.tenancy.demo.shop import NAME, SUPPORT_EMAIL
from balie.tenancy.models import ContactChannel, Membership


def store(demo: Demo, planned: list[Planned], *, tags: dict[str, Tag]) -> list[Conversation]:
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
    told: list[dt.datetime] = []  # when each notification was sent: its note's moment
    labels = []
    mentioned = []
    for plan, conversation in zip(planned, conversations, strict=True):
        thread = by_conversation[conversation.pk]
        events += _events(plan, conversation, thread)
        labels += [
            Conversation.tags.through(conversation_id=conversation.pk, tag_id=tags[name].pk)
            for name in plan.tag_names
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
                told.append(message.created_at)
    Conversation.tags.through.objects.bulk_create(labels, batch_size=1_000)
    Message.mentions.through.objects.bulk_create(mentioned, batch_size=1_000)
    happened = [event.created_at for event in events]
    events = ConversationEvent.objects.bulk_create(events, batch_size=1_000)
    stamp(ConversationEvent, [(e.pk, at, at) for e, at in zip(events, happened, strict=True)])
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
    events.append(
        event(
            EventKind.TAGGED,
            start + dt.timedelta(minutes=1),
            plan.agent if conversation.assignee_id else None,
            added=sorted(plan.tag_names),
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
