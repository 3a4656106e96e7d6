"""Conflict checking: what an OUT grant would clash with, down to the exact days and places.

An OUT grant conflicts where it would license something we may not: days, territories, media,
languages or episodes that no IN grant gives us; an exclusive OUT grant already there (or, for
an exclusive grant, any OUT grant); a holdback in force. That is exactly where the avails engine
says the grant's own scope is not available, so the check asks the engine and groups the
answer into clashes a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rightsdesk.domain import avails
from rightsdesk.domain.avails import AvailsQuery, Coverage, Reason, Status, TitleRights


@dataclass(frozen=True)
class Clash:
    title_id: int
    status: Status
    territories: frozenset[str]
    media: frozenset[str]
    start: date | None
    end: date | None
    reasons: tuple[Reason, ...]
    note: str = ""  # how the grant's days were counted, when its term waits for an event

    def describe(self, title_name: str, territories: str) -> str:
        """One line: what, where, on what, when, and against which deal and grant."""
        why = "; ".join(r.explanation for r in self.reasons)
        note = f" ({self.note})" if self.note else ""
        return (f"{self.status.label}: {title_name}, {territories}, {', '.join(sorted(self.media))}, "
                f"{avails.term_text(self.start, self.end)}: {why}{note}")


def clashes(candidate: dict[int, Coverage], rights: dict[int, TitleRights]) -> list[Clash]:
    """The clashes of an OUT grant, given how it reaches each title (`candidate`) and every
    other grant and restriction of those titles (`rights`, without the candidate itself).

    A grant whose term waits for its event ("5 years from delivery", not yet delivered) may
    run on any day from its earliest start (its fixed start, else the deal's signature): it is
    checked from then with no end (or to its fixed end), and each clash says so. Once the event
    is dated the term is known and the deal is checked again (services/deals.py)."""
    found: dict[tuple[int, Status, tuple[Reason, ...], date | None, date | None], tuple[set[str], set[str]]] = {}
    for title_id, coverage in candidate.items():
        grant = coverage.grant
        start = max(d for d in (coverage.start, grant.start, date.min) if d is not None)
        ends = [d for d in (coverage.end, grant.end) if d is not None]
        query = AvailsQuery(
            titles=(title_id,), territories=tuple(sorted(grant.territories)), media=tuple(sorted(grant.media)),
            start=start, end=min(ends) if ends else None, languages=grant.languages,
            exclusive=grant.exclusive, episodes=coverage.episodes,
        )
        title = rights.get(title_id) or TitleRights(title_id, coverage.episodes[1] if coverage.episodes else 1)
        for block in avails.answer(query, [title]).blocks:
            for segment in block.answer.segments:
                if segment.allows(grant.exclusive):
                    continue
                key = (title_id, segment.status, segment.reasons, segment.start, segment.end)
                territories, media = found.setdefault(key, (set(), set()))
                territories |= block.territories
                media.add(block.media)
    notes = {title_id: _pending_note(coverage) for title_id, coverage in candidate.items()}
    return [
        Clash(title_id, status, frozenset(territories), frozenset(media), start, end, reasons, notes[title_id])
        for (title_id, status, reasons, start, end), (territories, media) in found.items()
    ]


def _pending_note(coverage: Coverage) -> str:
    grant = coverage.grant
    if not grant.pending:
        return ""
    since = max((d for d in (coverage.start, grant.start) if d is not None), default=None)
    return f"this grant's {grant.pending}: checked as running from {since or 'any day'}" + (
        "" if grant.end else " with no end until it is")
