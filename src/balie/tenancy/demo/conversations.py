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

This module sets the inbox up and runs the rest: `conversation_scripts` (what is said),
`conversation_plan` (who, about what, when, how far), `conversation_rows` (the bulk writes).
"""

from __future__ import annotations

import datetime as dt

from balie.channels.models import Mailbox
from balie.customers.models import Customer
from balie.inbox import search
from balie.inbox.models import (
    ACTIVE_STATUSES,
    Conversation,
    InboxSettings,
    SlaPolicy,
    Tag,
)
from balie.inbox.services import macro_create
from balie.inbox.services import sla as sla_services
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.demo import conversation_plan, conversation_rows
from balie.tenancy.demo import conversation_scripts as scripts
from balie.tenancy.demo.context import Demo, stamp
from balie.tenancy.demo.shop import NAME, SUPPORT_EMAIL
from balie.tenancy.models import AssignmentMode, Membership, Team

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
    tag_names = sorted(
        {script.tag for script in scripts.SCRIPTS} | {conversation_plan.COMPLAINT_TAG}
    )
    tags = {
        tag.name: tag for tag in Tag.objects.bulk_create(Tag(shop=shop, name=n) for n in tag_names)
    }
    for name, body, status, add_tags in MACROS:
        macro_create(shop=shop, name=name, body=body, set_status=status, add_tags=add_tags)
    # Fresh rows: the shop step set the agents' display names after creating them.
    agents = list(Membership.objects.for_shop(shop).select_related("user").order_by("pk"))
    members = {}
    for team in (general, returns):
        in_team = {member.pk for member in team.members.all()}
        members[team.pk] = [agent for agent in agents if agent.pk in in_team]
    schedule = tenancy_selectors.schedule_for(shop=shop)
    planned = conversation_plan.plan(
        demo, schedule=schedule, teams=(general, returns), members=members
    )
    conversations = conversation_rows.store(demo, planned, tags=tags)
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
