"""Localization readiness: how far the subtitles, dubs and metadata of a title in a language have got.

A title (or each of its episodes) has tasks per language and kind. A title is only as ready in a
language as its least advanced task of that kind: one episode whose subtitles were rejected
holds the whole series back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rightsdesk.domain.avails import Restriction, Status
from rightsdesk.domain.catalogue import language_covers, language_problem
from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.domain.errors import Problem

# From what needs action most to what is done; a rejected delivery needs action before one not started.
PROGRESS = (
    LocalizationStatus.REJECTED,
    LocalizationStatus.NOT_STARTED,
    LocalizationStatus.IN_PROGRESS,
    LocalizationStatus.IN_QC,
    LocalizationStatus.DELIVERED,
)
LABELS = {
    LocalizationStatus.REJECTED: "rejected",
    LocalizationStatus.NOT_STARTED: "not started",
    LocalizationStatus.IN_PROGRESS: "in progress",
    LocalizationStatus.IN_QC: "in QC",
    LocalizationStatus.DELIVERED: "delivered",
}


def readiness(statuses: Iterable[LocalizationStatus]) -> LocalizationStatus | None:
    """The least advanced of the tasks' statuses; None when there are no tasks at all."""
    found = set(statuses)
    return next((status for status in PROGRESS if status in found), None)


# Where a task can go next: work starts, goes to QC, and is delivered or rejected; a rejected
# delivery goes back into work. A delivery found wanting later can still be rejected.
NEXT = {
    LocalizationStatus.NOT_STARTED: {LocalizationStatus.IN_PROGRESS},
    LocalizationStatus.IN_PROGRESS: {LocalizationStatus.IN_QC},
    LocalizationStatus.IN_QC: {LocalizationStatus.DELIVERED, LocalizationStatus.REJECTED},
    LocalizationStatus.REJECTED: {LocalizationStatus.IN_PROGRESS},
    LocalizationStatus.DELIVERED: {LocalizationStatus.REJECTED},
}


def transition_problem(current: LocalizationStatus, wanted: LocalizationStatus) -> str | None:
    """Why a task cannot move from one status to another, or None when it can."""
    if current is wanted or wanted in NEXT[current]:
        return None
    allowed = ", ".join(sorted(LABELS[s] for s in NEXT[current]))
    return f"a task {LABELS[current]} cannot go to {LABELS[wanted]} (it can go to: {allowed})"


@dataclass
class TaskDraft:
    """A localization task as the editor holds it: a title (or one episode of it), a language
    and a kind, and where the work stands."""

    title_id: int
    language_tag: str
    kind: LocalizationKind
    episode_id: int | None = None  # None: the whole title
    status: LocalizationStatus = LocalizationStatus.NOT_STARTED
    vendor_id: int | None = None
    cost: Decimal | None = None
    currency: str = ""
    due_on: date | None = None
    delivered_on: date | None = None
    file_reference: str = ""
    notes: str = ""
    id: int | None = None
    version: int | None = None


def task_problems(draft: TaskDraft, currencies: Collection[str], stored: LocalizationStatus | None = None) -> list[Problem]:
    problems = []
    if (why := language_problem(draft.language_tag)) is not None:
        problems.append(Problem("language", why))
    if draft.cost is not None and draft.cost < 0:
        problems.append(Problem("cost", "a cost cannot be negative"))
    if draft.cost is not None and draft.currency not in currencies:
        problems.append(Problem("currency", f"'{draft.currency}' is not an ISO 4217 currency" if draft.currency
                                else "a cost needs its currency"))
    if stored is not None and (why := transition_problem(stored, draft.status)):
        problems.append(Problem("status", why))
    if draft.delivered_on is not None and draft.status is not LocalizationStatus.DELIVERED:
        problems.append(Problem("delivered", "only a delivered task has a delivery date"))
    return problems


@dataclass(frozen=True)
class Task:
    """A localization task as readiness sees it."""

    language: str
    kind: LocalizationKind
    status: LocalizationStatus
    delivered_on: date | None = None


# A licensee who requires a language needs the words on screen: subtitles or a dub.
SPOKEN = (LocalizationKind.SUBTITLES, LocalizationKind.DUB)


def ready_from(tasks: Iterable[Task], language: str) -> tuple[date | None, bool, str]:
    """Whether a title is localized in a language (subtitles or a dub delivered in full), from
    which day (None: no delivery date recorded, so always), and what stands in the way if not."""
    found = [t for t in tasks if _same_language(t.language, language)]
    waiting, delivered = [], []
    for kind in SPOKEN:
        of_kind = [t for t in found if t.kind is kind]
        status = readiness(t.status for t in of_kind)
        if status is LocalizationStatus.DELIVERED:
            dates = [t.delivered_on for t in of_kind]
            delivered.append(None if None in dates else max(d for d in dates if d is not None))
        else:
            waiting.append(f"{KIND_WORDS[kind]} {LABELS[status]}" if status else f"no {KIND_WORDS[kind]}")
    if delivered:
        return (None if None in delivered else min(d for d in delivered if d is not None)), True, ""
    return None, False, "; ".join(waiting)


KIND_WORDS = {LocalizationKind.SUBTITLES: "subtitles", LocalizationKind.DUB: "dub",
              LocalizationKind.METADATA_ARTWORK: "metadata and artwork"}


def _same_language(task_language: str, asked: str) -> bool:
    """Whether a delivery meets a requirement, by the BCP 47 matcher avails uses for grants
    (language_covers, case-insensitive): the delivered tag covers the request as a grant would
    ('zh-Hant' subtitles meet 'zh-Hant-TW', as a 'zh-Hant' grant covers it), or the request is
    a range the delivery falls in ('es' is met by an 'es-419' dub)."""
    return language_covers(task_language, asked) or language_covers(asked, task_language)


def localization_restrictions(tasks: Iterable[Task], languages: Iterable[str], *, countries: Collection[str],
                              media: Collection[str]) -> list[Restriction]:
    """Days a title is not localized in each required language, everywhere and on every media."""
    listed = list(tasks)
    restrictions = []
    for language in languages:
        since, ready, waiting = ready_from(listed, language)
        if ready and since is None:
            continue
        end = since - timedelta(days=1) if ready and since is not None else None
        why = f"delivered {since}" if ready else waiting
        restrictions.append(Restriction(Status.NOT_LOCALIZED, frozenset(countries), frozenset(media), None, end,
                                        f"not localized in {language}: {why}"))
    return restrictions
