"""Knowledge gaps: the questions the assistant could not answer, grouped by what they ask.

Read from the turns that ended in a hand-off or a clarifying question because nothing fitted
(`out_of_scope`, `low_confidence`). Questions are compared by their analysed terms (stems,
compound parts, no stopwords) in their own language; two questions at least `SIMILARITY` alike
(Dice coefficient of their terms) are in one group, and so is every chain of such pairs, whatever
order they were asked in. Each gap has
its count, its languages, when it was last asked, a few examples and a suggested title: the
question that shares most with the others of its group, as the shopper wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from balie.assistant.models import Outcome, Turn
from balie.knowledge.analysis import languages, stopwords, terms, tokens
from balie.tenancy.models import Shop

SIMILARITY = 0.5
GAP_REASONS = ("out_of_scope", "low_confidence")
MAX_TURNS = 5_000
EXAMPLES = 3
TITLE_CHARS = 120


@dataclass
class Gap:
    title: str
    count: int
    last_asked: dt.datetime
    terms: list[str]
    examples: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass
class _Group:
    members: list[tuple[Turn, frozenset[str]]] = field(default_factory=list)
    term_counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Outcomes:
    """How the assistant's turns of a period ended: the share it settled by itself."""

    total: int
    by_outcome: dict[str, int]

    @property
    def settled(self) -> int:
        return self.by_outcome.get(Outcome.ANSWERED, 0) + self.by_outcome.get(Outcome.ACTION, 0)

    @property
    def handed_off(self) -> int:
        return self.by_outcome.get(Outcome.HANDOFF, 0) + self.by_outcome.get(
            Outcome.CONTACT_NEEDED, 0
        )

    @property
    def settled_share(self) -> float:
        return self.settled / self.total if self.total else 0.0


def outcome_counts(*, shop: Shop, days: int = 30) -> Outcomes:
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        Turn.objects.for_shop(shop)
        .filter(created_at__gte=since)
        .values_list("outcome")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_outcome: dict[str, int] = dict(rows)
    return Outcomes(total=sum(by_outcome.values()), by_outcome=by_outcome)


def gap_list(*, shop: Shop, days: int = 30, limit: int = 50) -> list[Gap]:
    """The shop's gaps of the last `days`, most asked first."""
    since = timezone.now() - dt.timedelta(days=days)
    turns = (
        Turn.objects.for_shop(shop)
        .filter(
            created_at__gte=since,
            outcome__in=(Outcome.HANDOFF, Outcome.CLARIFY, Outcome.CONTACT_NEEDED),
            reason__in=GAP_REASONS,
        )
        .exclude(question="")
        .order_by("-created_at")[:MAX_TURNS]
    )
    members = [(turn, question_terms(turn.question, turn.language)) for turn in turns]
    members = [(turn, found) for turn, found in members if found]
    gaps = [_gap(group) for group in _groups(members)]
    gaps.sort(key=lambda gap: (-gap.count, -gap.last_asked.timestamp()))
    return gaps[:limit]


def _groups(members: list[tuple[Turn, frozenset[str]]]) -> list[_Group]:
    """Single-link groups: two questions are together when a chain of questions, each pair
    at least `SIMILARITY` alike, joins them. Candidate pairs come from shared terms; a term in
    more than a fifth of the questions ("bestelling") proposes no pairs by itself."""
    parent = list(range(len(members)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    postings: dict[str, list[int]] = {}
    for index, (_turn, found) in enumerate(members):
        for term in found:
            postings.setdefault(term, []).append(index)
    common = max(5, len(members) // 5)
    for index, (_turn, found) in enumerate(members):
        candidates = {
            other
            for term in found
            if len(postings[term]) <= common
            for other in postings[term]
            if other < index
        }
        for other in candidates:
            if _dice(found, members[other][1]) >= SIMILARITY:
                parent[root(index)] = root(other)
    grouped: dict[int, _Group] = {}
    for index, (turn, found) in enumerate(members):
        group = grouped.setdefault(root(index), _Group())
        group.members.append((turn, found))
        group.term_counts.update(found)
    return list(grouped.values())


def question_terms(question: str, language: str = "") -> frozenset[str]:
    """The terms a question is about, in its language (detected when not given)."""
    language = language or languages.detect(question).language or "nl"
    found = [
        forms
        for forms in tokens.words(question[:500])
        if not stopwords.is_stopword(forms[0], language)
    ]
    return frozenset(
        term for forms in found for term in terms.word_terms(forms, language) if len(term) > 2
    )


def _gap(group: _Group) -> Gap:
    turns = [turn for turn, _terms in group.members]

    def centrality(member: tuple[Turn, frozenset[str]]) -> float:
        return sum(group.term_counts[term] for term in member[1]) / (len(member[1]) or 1)

    central = max(group.members, key=centrality)[0]
    examples = list(dict.fromkeys(turn.question.strip() for turn in turns))[:EXAMPLES]
    title = " ".join(central.question.split())[:TITLE_CHARS]
    return Gap(
        title=title[:1].upper() + title[1:],
        count=len(turns),
        last_asked=max(turn.created_at for turn in turns),
        terms=[term for term, _count in group.term_counts.most_common(5)],
        examples=examples,
        languages=sorted({turn.language for turn in turns if turn.language}),
    )


def _dice(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))
