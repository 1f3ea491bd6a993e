"""Comparing two versions of an article, line by line, as an editor's history shows it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from balie.knowledge.models import ArticleVersion

Change = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class DiffLine:
    change: Change
    text: str


@dataclass(frozen=True)
class VersionDiff:
    old_number: int
    new_number: int
    title_before: str
    title_after: str
    lines: list[DiffLine]
    tags_added: list[str]
    tags_removed: list[str]

    @property
    def is_empty(self) -> bool:
        return (
            self.title_before == self.title_after
            and not self.tags_added
            and not (self.tags_removed)
            and all(line.change == "same" for line in self.lines)
        )


def diff(old: ArticleVersion, new: ArticleVersion) -> VersionDiff:
    lines = []
    for line in difflib.ndiff(old.body.splitlines(), new.body.splitlines()):
        marker, text = line[:2], line[2:]
        if marker == "  ":
            lines.append(DiffLine("same", text))
        elif marker == "+ ":
            lines.append(DiffLine("added", text))
        elif marker == "- ":
            lines.append(DiffLine("removed", text))
        # "? " lines are ndiff's intraline hints: not shown.
    return VersionDiff(
        old_number=old.number,
        new_number=new.number,
        title_before=old.title,
        title_after=new.title,
        lines=lines,
        tags_added=[tag for tag in new.tags if tag not in old.tags],
        tags_removed=[tag for tag in old.tags if tag not in new.tags],
    )
