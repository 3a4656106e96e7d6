"""Vertical libraries: curated bundles of titles sold as one unit, and who was in them when.

A title's stay in a library runs from the day it joins to its last day in it (inclusive; open
while it stays). A grant of a library covers a title only for the days of its stays inside the
grant's term (DOMAIN.md: a title added later is covered from the day it joins). A title may
leave and join again; its stays never overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rightsdesk.domain.errors import Problem

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


@dataclass(frozen=True)
class Stay:
    """A title in a library from `added_on` to `removed_on` (its last day in; None: still in)."""

    title_id: int
    added_on: date
    removed_on: date | None = None

    def holds(self, day: date) -> bool:
        return self.added_on <= day and (self.removed_on is None or day <= self.removed_on)


@dataclass
class LibraryDraft:
    code: str
    name: str
    description: str = ""
    retired_on: date | None = None  # no longer offered from this day
    stays: list[Stay] = field(default_factory=list)
    id: int | None = None
    version: int | None = None


def normalize_library(draft: LibraryDraft) -> LibraryDraft:
    draft.code, draft.name, draft.description = draft.code.strip().upper(), draft.name.strip(), draft.description.strip()
    draft.stays = sorted(draft.stays, key=lambda s: (s.title_id, s.added_on))
    return draft


def library_problems(draft: LibraryDraft, *, titles: dict[int, str]) -> list[Problem]:
    """What stops a library being saved: its code (letters, digits, - _ . up to 32), its name,
    and its stays (a known title, an end not before the start, no two stays of a title that
    overlap). `titles`: title id -> internal ID, for the messages."""
    problems = []
    if not _CODE.match(draft.code):
        problems.append(Problem("code", f"'{draft.code}' is not a library code (letters, digits, - _ . up to 32, e.g. VL-ROMANCE)"))
    if not draft.name:
        problems.append(Problem("name", "a library needs a name"))
    previous: Stay | None = None
    for stay in draft.stays:
        shown = titles.get(stay.title_id)
        if shown is None:
            problems.append(Problem("titles", f"title {stay.title_id} does not exist"))
            continue
        if stay.removed_on is not None and stay.removed_on < stay.added_on:
            problems.append(Problem("titles", f"{shown} leaves ({stay.removed_on}) before it joins ({stay.added_on})"))
        if previous is not None and previous.title_id == stay.title_id and (
                previous.removed_on is None or stay.added_on <= previous.removed_on):
            problems.append(Problem("titles", f"{shown} is in the library twice from {stay.added_on} "
                                              f"(its stay from {previous.added_on} has not ended)"))
        previous = stay
    return problems


def members_on(stays: list[Stay], day: date) -> set[int]:
    """The titles in the library on a day."""
    return {s.title_id for s in stays if s.holds(day)}


def join(stays: list[Stay], title_ids: list[int], day: date) -> tuple[list[Stay], list[int]]:
    """Stays with the titles joining on `day`, and those already in on that day (left as they are)."""
    inside = members_on(stays, day) | {s.title_id for s in stays if s.added_on > day}
    joined = [t for t in dict.fromkeys(title_ids) if t not in inside]
    return stays + [Stay(t, day) for t in joined], [t for t in title_ids if t in inside]


def leave(stays: list[Stay], title_ids: list[int], last_day: date) -> tuple[list[Stay], list[int]]:
    """Stays with the titles leaving after `last_day` (their last day in), and those that were not
    in on that day (left as they are)."""
    leaving, changed, missed = set(title_ids), [], set(title_ids)
    for stay in stays:
        if stay.title_id in leaving and stay.holds(last_day):
            changed.append(Stay(stay.title_id, stay.added_on, last_day))
            missed.discard(stay.title_id)
        else:
            changed.append(stay)
    return changed, sorted(missed)
