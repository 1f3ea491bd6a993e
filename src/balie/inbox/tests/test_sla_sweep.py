"""The SLA sweep: clocks that warn and breach by themselves, across nights, weekends, Dutch
public holidays, closing days and the DST changes, at moments passed in (never slept)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from balie.core import scheduler
from balie.core.tests.subprocesses import Running, run_balie
from balie.inbox import services, tasks
from balie.inbox.models import Conversation, EventKind, Notification, SlaState
from balie.inbox.tests.factories import (
    SlaPolicyFactory,
    conversation_created_at,
    status_changed_at,
)
from balie.tenancy.models import ClosingDay, Membership, Shop
from balie.tenancy.tests.factories import every_day_hours, office_hours

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def question(shop: Shop, created_at: dt.datetime, **fields: object) -> Conversation:
    """A question that arrived at `created_at`, its clocks computed on arrival."""
    conversation = conversation_created_at(created_at, shop=shop, **fields)
    services.conversation_sla_refresh(conversation=conversation, now=created_at)
    return conversation


def stored(conversation: Conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


def alerts(conversation: Conversation) -> list[tuple[str, str]]:
    return list(
        conversation.events.filter(kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACHED])
        .order_by("pk")
        .values_list("kind", "data__clock")
    )


@pytest.fixture
def office(shop: Shop) -> Shop:
    """Monday to Friday 9–17, closed on Dutch public holidays; answer within an hour."""
    office_hours(shop)
    SlaPolicyFactory(shop=shop, first_response_minutes=60, resolution_minutes=8 * 60)
    return shop


def test_a_question_on_friday_at_1655_is_due_on_monday_at_0955(
    office: Shop, agent: Membership
) -> None:
    # given a question on Friday 20 November 2026 at 16:55, due after 60 working minutes
    conversation = question(office, at(2026, 11, 20, 16, 55), assignee=agent)
    assert stored(conversation).first_response_due_at == at(2026, 11, 23, 9, 55)

    # when the sweep runs through the night and the weekend
    quiet = [
        services.sla_sweep(now=moment)
        for moment in (at(2026, 11, 20, 17), at(2026, 11, 21, 12), at(2026, 11, 23, 9, 24))
    ]

    # then nothing is due until Monday's warning at 9:25 (30 working minutes before)
    assert quiet == [0, 0, 0]
    assert services.sla_sweep(now=at(2026, 11, 23, 9, 25)) == 1
    assert stored(conversation).sla_first_response_state == SlaState.WARNING
    assert services.sla_sweep(now=at(2026, 11, 23, 9, 54)) == 0
    assert services.sla_sweep(now=at(2026, 11, 23, 9, 55)) == 1
    assert stored(conversation).sla_first_response_state == SlaState.BREACHED
    assert alerts(conversation) == [
        (EventKind.SLA_WARNING, "first_response"),
        (EventKind.SLA_BREACHED, "first_response"),
    ]
    assert list(Notification.objects.values_list("kind", flat=True).order_by("pk")) == [
        "sla_warning",
        "sla_breached",
    ]


@pytest.mark.parametrize(
    ("created_at", "due_at"),
    [
        # Goede Vrijdag, the weekend and 2e Paasdag (Easter Monday 6 April 2026)
        (at(2026, 4, 2, 16, 55), at(2026, 4, 7, 9, 55)),
        # Koningsdag on Monday 27 April 2026
        (at(2026, 4, 24, 16, 55), at(2026, 4, 28, 9, 55)),
        # Christmas Eve is a working day; Christmas and Boxing Day are not
        (at(2026, 12, 24, 16, 55), at(2026, 12, 28, 9, 55)),
        # Hemelvaartsdag, Thursday 14 May 2026
        (at(2026, 5, 13, 16, 55), at(2026, 5, 15, 9, 55)),
    ],
    ids=["pasen", "koningsdag", "kerst", "hemelvaart"],
)
def test_public_holidays_do_not_count(
    office: Shop, created_at: dt.datetime, due_at: dt.datetime
) -> None:
    # given
    conversation = question(office, created_at)

    # when the sweep looks a minute before and at the due time
    services.sla_sweep(now=due_at - dt.timedelta(minutes=1))
    before = stored(conversation).sla_first_response_state
    services.sla_sweep(now=due_at)

    # then
    assert stored(conversation).first_response_due_at == due_at
    assert before == SlaState.WARNING
    assert stored(conversation).sla_first_response_state == SlaState.BREACHED


def test_the_shops_closing_day_does_not_count(office: Shop) -> None:
    # given the service is closed on Monday 23 November for a staff outing
    ClosingDay.objects.create(shop=office, date=dt.date(2026, 11, 23), reason="Personeelsuitje")

    # when a question arrives on Friday at 16:55
    conversation = question(office, at(2026, 11, 20, 16, 55))

    # then it is due on Tuesday
    assert stored(conversation).first_response_due_at == at(2026, 11, 24, 9, 55)
    assert services.sla_sweep(now=at(2026, 11, 23, 12)) == 0


def test_a_shop_that_ignores_holidays_counts_them(shop: Shop) -> None:
    office_hours(shop)
    shop.closed_on_public_holidays = False
    shop.save()
    SlaPolicyFactory(shop=shop, first_response_minutes=60)
    conversation = question(shop, at(2026, 4, 24, 16, 55))
    assert stored(conversation).first_response_due_at == at(2026, 4, 27, 9, 55)


@pytest.mark.parametrize(
    ("created_at", "due_at", "due_utc", "offset_hours"),
    [
        # summer time starts on Sunday 29 March 2026 at 02:00
        (at(2026, 3, 28, 16, 55), at(2026, 3, 29, 9, 55), (2026, 3, 29, 7, 55), 2),
        # winter time starts on Sunday 25 October 2026 at 03:00
        (at(2026, 10, 24, 16, 55), at(2026, 10, 25, 9, 55), (2026, 10, 25, 8, 55), 1),
    ],
    ids=["maart", "oktober"],
)
def test_due_times_follow_the_dst_changes(
    shop: Shop,
    created_at: dt.datetime,
    due_at: dt.datetime,
    due_utc: tuple[int, int, int, int, int],
    offset_hours: int,
) -> None:
    # given a desk open every day 9–17, so the night of the change lies between
    every_day_hours(shop)
    SlaPolicyFactory(shop=shop, first_response_minutes=60)
    conversation = question(shop, created_at)

    # when the sweep looks a minute before and at Sunday's 9:55 local time
    services.sla_sweep(now=dt.datetime(*due_utc, tzinfo=dt.UTC) - dt.timedelta(minutes=1))
    before = stored(conversation).sla_first_response_state
    services.sla_sweep(now=dt.datetime(*due_utc, tzinfo=dt.UTC))

    # then the night does not count, whatever its length
    due = stored(conversation).first_response_due_at
    assert due == due_at
    assert due is not None
    assert due.astimezone(AMSTERDAM).utcoffset() == dt.timedelta(hours=offset_hours)
    assert before == SlaState.WARNING
    assert stored(conversation).sla_first_response_state == SlaState.BREACHED


def test_a_night_shift_across_the_autumn_change_counts_the_extra_hour(shop: Shop) -> None:
    # given a desk open Saturday 22:00 to Sunday 06:00 (nine hours the night clocks go back)
    every_day_hours(shop, opens=dt.time(0), closes=dt.time(6))
    SlaPolicyFactory(shop=shop, first_response_minutes=6 * 60, resolution_minutes=7 * 60)

    # when a question arrives at midnight on Sunday 25 October 2026
    conversation = question(shop, at(2026, 10, 25, 0))

    # then six working hours end at 05:00 local time, not at 06:00
    assert stored(conversation).first_response_due_at == at(2026, 10, 25, 5)


def test_pending_pauses_the_resolution_clock_so_the_sweep_leaves_it_alone(
    office: Shop,
) -> None:
    # given an answered question set pending on Monday at 10:00
    conversation = question(office, at(2026, 11, 23, 9), first_responded_at=at(2026, 11, 23, 9, 30))
    status_changed_at(conversation, "pending", at(2026, 11, 23, 10))
    services.conversation_sla_refresh(conversation=conversation, now=at(2026, 11, 23, 10))

    # when a week passes
    swept = services.sla_sweep(now=at(2026, 11, 30, 12))

    # then nothing ran out
    assert swept == 0
    assert stored(conversation).sla_resolution_state == SlaState.PAUSED
    assert alerts(conversation) == []


def test_warnings_come_before_the_breach_for_both_clocks(office: Shop, agent: Membership) -> None:
    # given an unanswered question on Monday at 9:00 (response 10:00, resolution 17:00)
    conversation = question(office, at(2026, 11, 23, 9), assignee=agent)

    # when the sweep runs every minute of the day
    moment = at(2026, 11, 23, 9)
    while moment <= at(2026, 11, 23, 17, 30):
        services.sla_sweep(now=moment)
        moment += dt.timedelta(minutes=1)

    # then each clock warned once, then breached once
    assert alerts(conversation) == [
        (EventKind.SLA_WARNING, "first_response"),
        (EventKind.SLA_BREACHED, "first_response"),
        (EventKind.SLA_WARNING, "resolution"),
        (EventKind.SLA_BREACHED, "resolution"),
    ]
    assert Notification.objects.filter(recipient=agent).count() == 4


def test_a_late_reply_after_the_sweep_noticed_the_breach_stays_breached(
    office: Shop, agent: Membership
) -> None:
    # given the sweep noticed the breach at 10:00
    conversation = question(office, at(2026, 11, 23, 9), assignee=agent)
    services.sla_sweep(now=at(2026, 11, 23, 10))

    # when the agent replies at 11:00 (`reply_send` sets first_responded_at and refreshes)
    conversation = stored(conversation)
    conversation.first_responded_at = at(2026, 11, 23, 11)
    conversation.save(update_fields=["first_responded_at"])
    services.conversation_sla_refresh(conversation=conversation, now=at(2026, 11, 23, 11))
    services.sla_sweep(now=at(2026, 11, 23, 11, 1))

    # then
    assert stored(conversation).sla_first_response_state == SlaState.BREACHED
    assert alerts(conversation).count((EventKind.SLA_BREACHED, "first_response")) == 1


def test_sweeping_twice_at_the_same_moment_changes_nothing_the_second_time(
    office: Shop, agent: Membership
) -> None:
    # given
    conversation = question(office, at(2026, 11, 23, 9), assignee=agent)

    # when
    first = services.sla_sweep(now=at(2026, 11, 23, 9, 40))
    second = services.sla_sweep(now=at(2026, 11, 23, 9, 40))

    # then
    assert (first, second) == (1, 0)
    assert alerts(conversation) == [(EventKind.SLA_WARNING, "first_response")]
    assert Notification.objects.count() == 1


def test_a_conversation_due_again_by_mistake_is_not_told_twice(
    office: Shop, agent: Membership
) -> None:
    # given a warned conversation marked due again (a policy or business hours changed)
    conversation = question(office, at(2026, 11, 23, 9), assignee=agent)
    services.sla_sweep(now=at(2026, 11, 23, 9, 40))
    services.sla_recheck(shop=office, now=at(2026, 11, 23, 9, 41))

    # when
    swept = services.sla_sweep(now=at(2026, 11, 23, 9, 42))

    # then it was recomputed, and the same warning for the same deadline is not repeated
    assert swept == 1
    assert alerts(conversation) == [(EventKind.SLA_WARNING, "first_response")]


def test_the_sweep_works_in_batches_with_a_fixed_number_of_queries(
    office: Shop, other_shop: Shop, django_assert_num_queries: object
) -> None:
    # given warnings due in two shops: 3 conversations, then 9
    office_hours(other_shop)
    SlaPolicyFactory(shop=other_shop, first_response_minutes=60)

    def due_conversations(count: int) -> None:
        for index in range(count):
            question((office, other_shop)[index % 2], at(2026, 11, 23, 9))

    def sweep() -> int:
        return services.sla_sweep(now=at(2026, 11, 23, 9, 31), batch_size=50)

    due_conversations(3)
    # due rows, policies, history, 2 × (business hours, closing days), update, events, and
    # the batch's savepoint and its release (a transaction outside tests)
    with django_assert_num_queries(11):  # type: ignore[operator]
        assert sweep() == 3

    # when / then: three times as many cost the same
    due_conversations(9)
    with django_assert_num_queries(11):  # type: ignore[operator]
        assert sweep() == 9


def test_the_sweep_goes_through_every_batch(office: Shop) -> None:
    for _ in range(5):
        question(office, at(2026, 11, 23, 9))
    assert services.sla_sweep(now=at(2026, 11, 23, 9, 31), batch_size=2) == 5
    assert not Conversation.objects.filter(sla_next_check_at__lte=at(2026, 11, 23, 9, 31)).exists()


def test_a_deactivated_shop_is_not_swept(office: Shop) -> None:
    question(office, at(2026, 11, 23, 9))
    office.is_active = False
    office.save()
    assert services.sla_sweep(now=at(2026, 11, 23, 9, 31)) == 0


def test_a_new_policy_reaches_the_shops_active_conversations_through_the_sweep(
    shop: Shop,
) -> None:
    # given a shop without SLA and an open and a resolved conversation
    office_hours(shop)
    open_one = question(shop, at(2026, 11, 23, 9))
    done = question(shop, at(2026, 11, 23, 9))
    status_changed_at(done, "resolved", at(2026, 11, 23, 9, 10))

    # when the shop creates its first policy and the sweep runs
    services.sla_policy_create(
        shop=shop, name="Standaard", first_response_minutes=120, resolution_minutes=480
    )
    services.sla_sweep()

    # then the open conversation has clocks; the resolved one keeps none
    assert stored(open_one).first_response_due_at == at(2026, 11, 23, 11)
    assert stored(done).first_response_due_at is None


def test_the_sweep_is_a_periodic_task_on_the_scheduled_queue(
    office: Shop, run_tasks: Callable[[], int]
) -> None:
    # given
    jobs = {job.name: job for job in scheduler.registered_jobs()}

    # when the scheduler enqueues it and a worker runs it
    job = jobs["balie.inbox.tasks.sla_sweep"]
    scheduler.enqueue_due_jobs(jobs=[job], now=at(2026, 11, 23, 9))
    ran = run_tasks()

    # then
    assert job.every == dt.timedelta(minutes=1)
    assert tasks.sla_sweep.queue_name == "scheduled"
    assert ran == 1
    assert DBTaskResult.objects.get(task_path=job.name).status == "SUCCESSFUL"


SEED = """
import datetime as dt, zoneinfo
from balie.inbox import services
from balie.inbox.tests.factories import SlaPolicyFactory, conversation_created_at
from balie.tenancy.tests.factories import ShopFactory, office_hours
shop = ShopFactory(slug="race")
office_hours(shop)
SlaPolicyFactory(shop=shop, first_response_minutes=60)
created = dt.datetime(2026, 11, 23, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
for _ in range(COUNT):
    conversation = conversation_created_at(created, shop=shop)
    services.conversation_sla_refresh(conversation=conversation, now=created)
"""
SWEEP = """
import datetime as dt, pathlib, time, zoneinfo
from balie.inbox import services
print("ready", flush=True)
while not pathlib.Path(GO).exists():
    time.sleep(0.01)
now = dt.datetime(2026, 11, 23, 9, 31, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
print("swept", services.sla_sweep(now=now, batch_size=5), flush=True)
"""
READ = """
from django.db.models import Count
from balie.inbox.models import ConversationEvent
counts = ConversationEvent.objects.filter(kind="sla_warning").values("conversation").annotate(n=Count("pk"))
print("warned", len(counts), "most", max(row["n"] for row in counts))
"""


def test_two_worker_processes_sweeping_at_once_warn_each_conversation_once(
    scratch_database: dict[str, str], tmp_path: Path
) -> None:
    # given 60 conversations due for a warning, in the database of this run's kind
    run_balie(
        ["shell", "--no-imports", "--command", SEED.replace("COUNT", "60")],
        scratch_database,
        check=True,
    )
    go = tmp_path / "go"
    sweeps = [
        Running(
            ["shell", "--no-imports", "--command", SWEEP.replace("GO", repr(str(go)))],
            scratch_database,
        )
        for _ in range(2)
    ]
    for sweep in sweeps:
        sweep.wait_for("ready")

    # when both sweep at the same moment
    go.touch()
    exit_codes = [sweep.process.wait(timeout=120) for sweep in sweeps]

    # then together they swept each conversation once, without errors
    outputs = [sweep.output for sweep in sweeps]
    assert exit_codes == [0, 0], outputs
    swept = [int(output.split("swept")[1].split()[0]) for output in outputs]
    assert sum(swept) == 60, outputs
    state = run_balie(["shell", "--no-imports", "--command", READ], scratch_database, check=True)
    assert state.stdout.split() == ["warned", "60", "most", "1"]
