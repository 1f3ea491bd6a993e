"""Balie's inbox read paths, timed in-process (no HTTP) on the large shop of `scale_load`.

Every view and search is what the agent workspace runs: `inbox.workspace.view_queryset(...)`
for the view and its filters, then `workspace.page_of(...)` — one page of 50 rows with the
last message's preview and the tags a row shows, no total count ("page"). "page + count"
adds the total that `GET /api/v1/conversations` returns with every page (counted up to
`api.pagination.COUNT_CAP`, as the API counts it). Queries are
built anew on each run, as a request would.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from balie.api import pagination
from balie.inbox import workspace
from balie.inbox.models import Conversation
from balie.inbox.workspace import ANY_STATUS, Filters, InboxView
from balie.tenancy.models import Membership, Shop, Team
from inboxbench.scale_load import RARE_WORD

PAGE = 50
WARM_UP, MIN_RUNS, BUDGET = 2, 8, 20.0  # runs; seconds per query before stopping early


@dataclass
class Context:
    shop: Shop
    agent: Membership
    team: Team
    customer_email: str
    reference: str


def _view(view: InboxView, **filters: Any) -> Callable[[Context], QuerySet[Conversation]]:
    def query(c: Context) -> QuerySet[Conversation]:
        return workspace.view_queryset(
            shop=c.shop, membership=c.agent, view=view, filters=Filters(**filters),
            now=timezone.now(),
        )  # fmt: skip

    return query


VIEWS: dict[str, Callable[[Context], QuerySet[Conversation]]] = {
    "all (any status)": _view(InboxView.ALL, status=ANY_STATUS),
    "all open": _view(InboxView.ALL),
    "mine": _view(InboxView.MINE),
    "unassigned": _view(InboxView.UNASSIGNED),
    "team": lambda c: _view(InboxView.TEAM, team_id=c.team.pk)(c),
    "breaching soon": _view(InboxView.BREACHING),
}
SEARCHES: dict[str, Callable[[Context], str]] = {
    "common word": lambda c: "bestelling",
    "rare word": lambda c: RARE_WORD,
    "two words": lambda c: "retour bestelling",
    "customer email": lambda c: c.customer_email,
    "reference": lambda c: f"#{c.reference}",
    "word prefix": lambda c: "factu",
}


def context() -> Context:
    shop = Shop.objects.get(slug="groot")
    conversations = Conversation.objects.for_shop(shop)
    middle = conversations.order_by("pk").values_list("pk", flat=True)[conversations.count() // 2]
    sample = conversations.select_related("customer").get(pk=middle)
    return Context(
        shop=shop,
        agent=Membership.objects.for_shop(shop).order_by("pk").first(),  # type: ignore[arg-type]
        team=Team.objects.for_shop(shop).order_by("pk").first(),  # type: ignore[arg-type]
        customer_email=sample.customer.email,
        reference=sample.reference,
    )


def rows(conversations: QuerySet[Conversation]) -> list[dict[str, Any]]:
    return [_values(row) for row in workspace.page_of(conversations, number=1).rows]


def _values(row: workspace.Row) -> dict[str, Any]:
    """What a list row shows, as the workspace's template reads it."""
    c = row.conversation
    return {
        "id": c.pk,
        "reference": c.reference,
        "subject": c.subject,
        "status": c.get_status_display(),
        "priority": c.get_priority_display(),
        "customer": c.customer.full_name or c.customer.email,
        "assignee": (c.assignee.display_name or c.assignee.user.full_name) if c.assignee else "",
        "team": c.team.name if c.team else "",
        "tags": row.tags,
        "last_message_at": c.last_message_at.isoformat(),
        "sla_due_at": c.sla_due_at.isoformat() if c.sla_due_at else None,
    }


def api_count(conversations: QuerySet[Conversation]) -> int:
    """The count the API's list pages answer with (`LimitOffset`): capped."""
    return min(conversations.order_by()[: pagination.COUNT_CAP + 1].count(), pagination.COUNT_CAP)


@dataclass
class Timing:
    label: str
    page: list[float]  # one page of rows, as the workspace list shows it
    total: list[float]  # page + count, as the API answers
    cpu: list[float]  # of `total`, this process's CPU time: Python's share, whatever the load
    found: int

    def p(self, values: list[float], fraction: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    def summary(self) -> dict[str, Any]:
        return {
            "label": self.label, "found": self.found,
            "page_p50": self.p(self.page, 0.5), "page_p95": self.p(self.page, 0.95),
            "p50": self.p(self.total, 0.5), "p95": self.p(self.total, 0.95),
            "mean": statistics.fmean(self.total) * 1000, "runs": len(self.total),
            "cpu_p50": self.p(self.cpu, 0.5),
        }  # fmt: skip


def timed(label: str, query: Callable[[], QuerySet[Conversation]], runs: int) -> Timing:
    """`runs` timed runs after a warm-up, fewer (at least MIN_RUNS) past BUDGET seconds."""
    for _ in range(WARM_UP):  # plans cached, pages in the OS cache
        rows(query())
        api_count(query())
    page: list[float] = []
    total: list[float] = []
    cpu: list[float] = []
    found = query().count()  # all matches, for the table (untimed: the API counts to a cap)
    budget_end = time.perf_counter() + BUDGET
    while len(total) < runs and (len(total) < MIN_RUNS or time.perf_counter() < budget_end):
        started, started_cpu = time.perf_counter(), time.process_time()
        rows(query())
        shown = time.perf_counter()
        api_count(query())
        total.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        page.append(shown - started)
    return Timing(label, page, total, cpu, found)


@contextmanager
def captured() -> Iterator[list[tuple[str, Any]]]:
    queries: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        yield queries


def explain(label: str, query: Callable[[], QuerySet[Conversation]]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement one page + count runs."""
    with captured() as queries:
        rows(query())
        api_count(query())
    out = [f"=== {label}"]
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            out += ["", f"{sql}\n  -- parameters: {params!r}", ""]
            out += [row[0] for row in cursor.fetchall()]
    return "\n".join(out) + "\n\n"


def measure(*, list_runs: int = 30, search_runs: int = 20) -> tuple[list[dict[str, Any]], str]:
    """Summaries of every view and search, and the EXPLAIN text of the slowest of each kind."""
    ctx = context()
    results: list[tuple[str, Timing, Callable[[], QuerySet[Conversation]]]] = []
    for name, view in VIEWS.items():
        query = functools.partial(view, ctx)
        results.append(("list", timed(f"list: {name}", query, list_runs), query))
    for name, words in SEARCHES.items():
        q = words(ctx)
        query = functools.partial(_view(InboxView.ALL, status=ANY_STATUS, q=q), ctx)
        results.append(("search", timed(f"search: {name} ({q})", query, search_runs), query))
    explained = ""
    for kind in ("list", "search"):
        of_kind = [r for r in results if r[0] == kind]
        _kind, slowest, query = max(of_kind, key=lambda r: r[1].p(r[1].total, 0.95))
        explained += explain(f"slowest {kind} (p95 {slowest.p(slowest.total, 0.95):.1f} ms): "
                             f"{slowest.label}", query)  # fmt: skip
    return [timing.summary() for _kind, timing, _query in results], explained
