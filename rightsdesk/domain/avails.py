"""The avails engine: can we still license this title, there, on that media, then, and why not.

A right (title, territory, media, language, day) is available to license out when an IN grant
covers it that day, no exclusive OUT grant covers it and no restriction (a holdback, uncleared
music or missing localization, the last two when asked) forbids it. A non-exclusive OUT grant, or rights we
hold only non-exclusively, leave it available non-exclusively only.

The engine is plain Python over plain values: the service layer loads the grants that reach
the asked titles (`TitleRights`) and the engine answers for every cell. Cells that the same
grants and restrictions reach share one answer, so a question over 249 countries costs about
as much as one over the handful of territory blocks the grants actually draw.

Dates are inclusive days; a term with no start or no end is open on that side. Internally
days are ordinals (ints), which keeps the sweeps cheap and makes open ends ordinary numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rightsdesk.domain.catalogue import language_covers, languages_meet
from rightsdesk.domain.enums import DealDirection

OPEN_START = date.min.toordinal()
OPEN_END = date.max.toordinal()


class Status(StrEnum):
    """What can be done with a right on a day, from best to worst (see SEVERITY)."""

    AVAILABLE = "available"
    ACQUIRED_NON_EXCLUSIVE = "acquired_non_exclusive"  # we hold it non-exclusively only
    LICENSED_NON_EXCLUSIVE = "licensed_non_exclusive"  # licensed out non-exclusively already
    NOT_LOCALIZED = "not_localized"  # asked for languages the title is not delivered in
    MUSIC_NOT_CLEARED = "music_not_cleared"  # a cue's track has no cleared licence there
    HOLDBACK = "holdback"
    LICENSED_EXCLUSIVE = "licensed_exclusive"
    NOT_ACQUIRED = "not_acquired"

    def allows(self, exclusive: bool) -> bool:
        """Whether a request (exclusive or not) can be granted on a day with this status."""
        if self is Status.AVAILABLE:
            return True
        return not exclusive and self in NON_EXCLUSIVE_ONLY

    @property
    def label(self) -> str:
        return LABELS[self]


SEVERITY = {status: rank for rank, status in enumerate(Status)}
NON_EXCLUSIVE_ONLY = frozenset({Status.ACQUIRED_NON_EXCLUSIVE, Status.LICENSED_NON_EXCLUSIVE})
LABELS = {
    Status.AVAILABLE: "Available",
    Status.ACQUIRED_NON_EXCLUSIVE: "Non-exclusive only (held non-exclusively)",
    Status.LICENSED_NON_EXCLUSIVE: "Non-exclusive only (licensed out non-exclusively)",
    Status.NOT_LOCALIZED: "Not localized",
    Status.MUSIC_NOT_CLEARED: "Music not cleared",
    Status.HOLDBACK: "Under holdback",
    Status.LICENSED_EXCLUSIVE: "Licensed out exclusively",
    Status.NOT_ACQUIRED: "Not acquired",
}


class DateMatch(StrEnum):
    """How the asked term is matched, as in the industry's avails tools."""

    WHOLE_TERM = "whole"  # available only if available on every asked day
    ANY_PART = "any"  # available if available on some asked day


def ordinal(day: date | None, open_value: int) -> int:
    return open_value if day is None else day.toordinal()


def day_of(value: int) -> date | None:
    return None if value in (OPEN_START, OPEN_END) else date.fromordinal(value)


@dataclass(frozen=True, eq=False)
class RightsGrant:
    """A grant as the engine sees it: its territories already expanded to countries."""

    grant_id: int
    deal_id: int
    deal_reference: str
    counterparty: str
    direction: DealDirection
    exclusive: bool
    territories: frozenset[str]
    media: frozenset[str]
    languages: frozenset[str] = frozenset()  # none: every language
    start: date | None = None
    end: date | None = None
    # A term counted from an event that has no date yet, in words ("term starts on delivery,
    # not yet delivered"); '' when the term is known. Then `start` is the earliest it can start
    # (its fixed start, else the deal's signature) and `end` its fixed end or None (unknown).
    pending: str = ""
    # Which of its deal's grants it is, for people: ", grant 2 of 3", or '' when the deal has one.
    position: str = ""

    def term_text(self) -> str:
        return self.pending or term_text(self.start, self.end)


@dataclass(frozen=True, eq=False)
class Coverage:
    """How a grant reaches one title: on which days (a library grant reaches a title only
    while it is in the library) and which episodes (None: all of them)."""

    grant: RightsGrant
    start: date | None
    end: date | None
    episodes: tuple[int, int] | None = None
    library: str | None = None  # the library's code, when the grant reaches the title through one


@dataclass(frozen=True, eq=False)
class Restriction:
    """Days a title may not be licensed in some territories on some media for a reason other
    than a grant of its own: a holdback, uncleared music, missing localization."""

    status: Status
    territories: frozenset[str]
    media: frozenset[str]
    start: date | None
    end: date | None
    explanation: str
    grant_id: int | None = None
    deal_id: int | None = None
    deal_reference: str | None = None


@dataclass
class TitleRights:
    """Everything that decides a title's avails: the grants that reach it and its restrictions."""

    title_id: int
    episode_count: int
    coverages: list[Coverage] = field(default_factory=list)
    restrictions: list[Restriction] = field(default_factory=list)


@dataclass(frozen=True)
class AvailsQuery:
    titles: tuple[int, ...]
    territories: tuple[str, ...]  # countries
    media: tuple[str, ...]
    start: date
    end: date | None  # None: open
    languages: frozenset[str] = frozenset()  # none: every language
    exclusive: bool = False
    match: DateMatch = DateMatch.WHOLE_TERM
    episodes: tuple[int, int] | None = None  # None: every episode of each title


@dataclass(frozen=True)
class Reason:
    """Why a right has its status: a grant or restriction, in words, with what identifies it."""

    status: Status
    explanation: str
    deal_id: int | None = None
    deal_reference: str | None = None
    grant_id: int | None = None


@dataclass(frozen=True)
class Segment:
    """Days of the asked term over which the status stays the same."""

    start: date | None
    end: date | None
    status: Status
    reasons: tuple[Reason, ...]

    def allows(self, exclusive: bool) -> bool:
        return self.status.allows(exclusive)


@dataclass(frozen=True)
class CellAnswer:
    """The answer for a cell (title x territory x media) over the asked term."""

    status: Status
    available: bool
    segments: tuple[Segment, ...]

    @property
    def reasons(self) -> tuple[Reason, ...]:
        seen: dict[Reason, None] = {}
        for segment in self.segments:
            seen.update(dict.fromkeys(segment.reasons))
        return tuple(seen)

    @property
    def partial(self) -> bool:
        """True when the status changes inside the asked term."""
        return len(self.segments) > 1


@dataclass(frozen=True)
class Block:
    """Territories of one title and media that share an answer."""

    title_id: int
    media: str
    territories: frozenset[str]
    answer: CellAnswer


@dataclass
class AvailsResult:
    query: AvailsQuery
    blocks: list[Block]
    _index: dict[tuple[int, str, str], CellAnswer] | None = field(default=None, repr=False)

    def cell(self, title_id: int, territory: str, media: str) -> CellAnswer:
        if self._index is None:
            self._index = {
                (b.title_id, territory, b.media): b.answer for b in self.blocks for territory in b.territories
            }
        return self._index[(title_id, territory, media)]

    def cells(self) -> Iterator[tuple[int, str, str, CellAnswer]]:
        """Every cell, in the query's order of titles, territories and media."""
        for title_id in self.query.titles:
            for territory in self.query.territories:
                for media in self.query.media:
                    yield title_id, territory, media, self.cell(title_id, territory, media)

    def count(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for block in self.blocks:
            counts[block.answer.status] += len(block.territories)
        return counts

    def available_count(self) -> int:
        return sum(len(b.territories) for b in self.blocks if b.answer.available)


def term_text(start: date | None, end: date | None) -> str:
    first = start.isoformat() if start else "open start"
    last = end.isoformat() if end else "open end"
    return f"{first} to {last}"


# -- the engine -------------------------------------------------------------------------------


def answer(query: AvailsQuery, rights: Iterable[TitleRights]) -> AvailsResult:
    """Avails for every cell of the query. `rights` holds one TitleRights per asked title."""
    by_title = {r.title_id: r for r in rights}
    asked = frozenset(query.territories)
    media = frozenset(query.media)
    first, last = query.start.toordinal(), ordinal(query.end, OPEN_END)
    answers: dict[tuple[int, ...], CellAnswer] = {}
    blocks: list[Block] = []
    for title_id in query.titles:
        title = by_title.get(title_id) or TitleRights(title_id, 0)
        items = _relevant_items(title, query, media, first, last)
        for territories in _partition(asked, [item.territories for item in items]):
            sample = next(iter(territories))
            for medium in query.media:
                here = [item for item in items if sample in item.territories and medium in item.media]
                key = tuple(id(item) for item in here)
                cell = answers.get(key)
                if cell is None:
                    cell = answers[key] = _answer_cell(here, query, first, last)
                blocks.append(Block(title_id, medium, territories, cell))
    return AvailsResult(query, _merge(blocks))


@dataclass(frozen=True, eq=False)
class _Item:
    """A coverage or restriction reduced to what a sweep needs."""

    role: str  # "in", "in-limited", "out", "restriction"
    territories: frozenset[str]
    media: frozenset[str]
    first: int
    last: int
    status: Status  # what it makes of the days it covers
    reason: Reason


def _relevant_items(title: TitleRights, query: AvailsQuery, media: frozenset[str], first: int, last: int) -> list[_Item]:
    episodes = query.episodes or (1, max(title.episode_count, 1))
    items = []
    for coverage in title.coverages:
        grant = coverage.grant
        start = max(ordinal(coverage.start, OPEN_START), ordinal(grant.start, OPEN_START))
        end = min(ordinal(coverage.end, OPEN_END), ordinal(grant.end, OPEN_END))
        if start > last or end < first or start > end or not (grant.media & media):
            continue
        if grant.direction is DealDirection.IN:
            # A term waiting for its event covers no day we could be sure of: held as not
            # acquired, with the reason saying what it waits for.
            limited = grant.pending or _in_limits(coverage, query.languages, episodes)
            role = "in-limited" if limited else "in"
            status = Status.AVAILABLE if grant.exclusive else Status.ACQUIRED_NON_EXCLUSIVE
            reason = Reason(Status.NOT_ACQUIRED if limited else status,
                            _in_explanation(coverage, limited), grant.deal_id, grant.deal_reference, grant.grant_id)
        else:
            if not (_languages_overlap(grant.languages, query.languages) and _episodes_overlap(coverage.episodes, episodes)):
                continue
            role = "out"
            status = Status.LICENSED_EXCLUSIVE if grant.exclusive else Status.LICENSED_NON_EXCLUSIVE
            reason = Reason(status, _out_explanation(coverage), grant.deal_id, grant.deal_reference, grant.grant_id)
        items.append(_Item(role, grant.territories, grant.media, max(start, first), min(end, last), status, reason))
    for restriction in title.restrictions:
        start, end = ordinal(restriction.start, OPEN_START), ordinal(restriction.end, OPEN_END)
        if start > last or end < first or not (restriction.media & media):
            continue
        reason = Reason(restriction.status, restriction.explanation, restriction.deal_id,
                        restriction.deal_reference, restriction.grant_id)
        items.append(_Item("restriction", restriction.territories, restriction.media,
                           max(start, first), min(end, last), restriction.status, reason))
    return items


def _in_limits(coverage: Coverage, languages: frozenset[str], episodes: tuple[int, int]) -> str:
    """Why an IN coverage falls short of the question (languages, episodes), or ''."""
    held = coverage.grant.languages
    limits = []
    if held and (not languages or not all(any(language_covers(h, asked) for h in held) for asked in languages)):
        limits.append(f"only in {', '.join(sorted(held))}")
    if coverage.episodes and not (coverage.episodes[0] <= episodes[0] and episodes[1] <= coverage.episodes[1]):
        limits.append(f"only episodes {coverage.episodes[0]}-{coverage.episodes[1]}")
    return " and ".join(limits)


def _languages_overlap(granted: frozenset[str], asked: frozenset[str]) -> bool:
    return not granted or not asked or any(languages_meet(g, a) for g in granted for a in asked)


def _episodes_overlap(granted: tuple[int, int] | None, asked: tuple[int, int]) -> bool:
    return granted is None or (granted[0] <= asked[1] and asked[0] <= granted[1])


def _through(coverage: Coverage) -> str:
    return f" through library {coverage.library}" if coverage.library else ""


def _in_explanation(coverage: Coverage, limited: str) -> str:
    grant = coverage.grant
    held = "exclusively" if grant.exclusive else "non-exclusively"
    text = (f"acquired {held} from {grant.counterparty} under {grant.deal_reference}{grant.position}"
            f"{_through(coverage)}, {_term_words(coverage)}")
    return f"{text}, {limited}" if limited and limited != grant.pending else text


def _out_explanation(coverage: Coverage) -> str:
    grant = coverage.grant
    how = "exclusively" if grant.exclusive else "non-exclusively"
    episodes = f" (episodes {coverage.episodes[0]}-{coverage.episodes[1]})" if coverage.episodes else ""
    return (f"licensed {how}{episodes} to {grant.counterparty} under {grant.deal_reference}{grant.position}"
            f"{_through(coverage)}, {_term_words(coverage)}")


def _term_words(coverage: Coverage) -> str:
    """The coverage's days; for a term waiting for its event, what it waits for and, for a
    licence out, that it is held as running from its earliest start with no end until then."""
    grant = coverage.grant
    if grant.pending:
        if grant.direction is DealDirection.IN:
            return grant.pending
        since = coverage.start or grant.start
        until = coverage.end or grant.end
        return (f"{grant.pending}: counted as licensed {term_text(since, until)}"
                f"{'' if until else ' until it is'}")
    # Both bound it: a title's stay in a library (coverage) and the grant's own term.
    starts = [d for d in (coverage.start, grant.start) if d is not None]
    ends = [d for d in (coverage.end, grant.end) if d is not None]
    return term_text(max(starts) if starts else None, min(ends) if ends else None)


def _partition(territories: frozenset[str], splitters: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """The asked territories cut into blocks that every splitter either covers or misses."""
    blocks = [territories] if territories else []
    for splitter in splitters:
        cut = []
        for block in blocks:
            inside = block & splitter
            if not inside or len(inside) == len(block):
                cut.append(block)
            else:
                cut += [inside, block - inside]
        blocks = cut
    return blocks


NOT_ACQUIRED_REASON = Reason(Status.NOT_ACQUIRED, "no IN grant covers these days")


def _answer_cell(items: list[_Item], query: AvailsQuery, first: int, last: int) -> CellAnswer:
    points = {first, last + 1}
    for item in items:
        points.add(item.first)
        points.add(item.last + 1)
    ordered = sorted(points)
    segments: list[Segment] = []
    for start, after in zip(ordered, ordered[1:]):
        end = after - 1
        active = [item for item in items if item.first <= start and end <= item.last]
        status, reasons = _day_status(active)
        if segments and segments[-1].status is status and segments[-1].reasons == reasons:
            segments[-1] = Segment(segments[-1].start, day_of(end), status, reasons)
        else:
            segments.append(Segment(day_of(start), day_of(end), status, reasons))
    allowed = [s.status.allows(query.exclusive) for s in segments]
    statuses = [s.status for s in segments]
    if query.match is DateMatch.WHOLE_TERM:
        return CellAnswer(max(statuses, key=SEVERITY.__getitem__), all(allowed), tuple(segments))
    usable = [s for s, ok in zip(statuses, allowed) if ok] or statuses
    return CellAnswer(min(usable, key=SEVERITY.__getitem__), any(allowed), tuple(segments))


def _day_status(active: list[_Item]) -> tuple[Status, tuple[Reason, ...]]:
    """The status of days on which exactly these items are in force, and the reasons."""
    held = [i for i in active if i.role == "in"]
    if not held:
        limited = tuple(i.reason for i in active if i.role == "in-limited")
        return Status.NOT_ACQUIRED, limited or (NOT_ACQUIRED_REASON,)
    blocking = sorted((i for i in active if i.role in ("out", "restriction")),
                      key=lambda i: -SEVERITY[i.status])
    if blocking:
        return blocking[0].status, tuple(i.reason for i in blocking)
    exclusive = [i for i in held if i.status is Status.AVAILABLE]
    return (Status.AVAILABLE, tuple(i.reason for i in exclusive)) if exclusive else (
        Status.ACQUIRED_NON_EXCLUSIVE, tuple(i.reason for i in held))


def _merge(blocks: list[Block]) -> list[Block]:
    """One block per title, media and answer: the territories that share it joined."""
    merged: dict[tuple[int, str, int], Block] = {}
    for block in blocks:
        key = (block.title_id, block.media, id(block.answer))
        seen = merged.get(key)
        merged[key] = block if seen is None else Block(
            block.title_id, block.media, seen.territories | block.territories, block.answer)
    return list(merged.values())
