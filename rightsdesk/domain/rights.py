"""What a deal and its grants are, as an editor holds them, and the rules an edit must keep."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from rightsdesk.domain.catalogue import language_problem
from rightsdesk.domain.enums import DealDirection, DealStatus, TermAnchor
from rightsdesk.domain.errors import Problem
from rightsdesk.domain.terms import EventTerm, OptionDraft, event_term_problems, option_problems, parse_duration
from rightsdesk.domain.territories import TerritoryScope

MAX_REFERENCE = 32


def episode_range(first: int | None, last: int | None) -> tuple[int, int] | None:
    """A grant's episodes as an inclusive range; None when it names neither end (every episode)."""
    if first is None and last is None:
        return None
    return (first or 1, last or 10**6)


@dataclass
class GrantTitleDraft:
    title_id: int
    first_episode: int | None = None  # None: from the first
    last_episode: int | None = None  # None: to the last

    @property
    def episodes(self) -> tuple[int, int] | None:
        return episode_range(self.first_episode, self.last_episode)


@dataclass
class HoldbackDraft:
    """No `media` in `territories` between fixed dates, or until some days after the title's
    release on `after_release_of` there."""

    media: list[str]
    territories: TerritoryScope
    starts_on: date | None = None
    ends_on: date | None = None
    after_release_of: str | None = None
    days_after_release: int | None = None
    description: str = ""
    id: int | None = None


@dataclass
class GrantDraft:
    titles: list[GrantTitleDraft] = field(default_factory=list)
    libraries: list[int] = field(default_factory=list)
    territories: TerritoryScope = field(default_factory=TerritoryScope)
    media: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # none: every language
    term_start: date | None = None
    term_end: date | None = None  # None: open end
    exclusive: bool = False
    sublicensing_allowed: bool = False
    notes: str = ""
    holdbacks: list[HoldbackDraft] = field(default_factory=list)
    id: int | None = None
    version: int | None = None
    # A term counted from an event (domain/terms.py): the event, for FIRST_RELEASE its media,
    # the event's date once known, and ISO 8601 durations: the start's delay after the event
    # (None: term_start is fixed) and the term's length (None: term_end is fixed or open).
    term_anchor: TermAnchor | None = None
    term_anchor_media: str | None = None
    term_anchor_on: date | None = None
    term_start_offset: str | None = None
    term_duration: str | None = None
    options: list[OptionDraft] = field(default_factory=list)

    def event_term(self) -> EventTerm | None:
        """How the term counts from its event; None for fixed dates (or durations that do not
        read, which grant_problems reports)."""
        if self.term_anchor is None:
            return None
        try:
            offset = parse_duration(self.term_start_offset) if self.term_start_offset else None
            length = parse_duration(self.term_duration) if self.term_duration else None
        except ValueError:
            return None
        return EventTerm(self.term_anchor, self.term_anchor_media, offset, length)

    @property
    def pending(self) -> str:
        """While the event has no date: the term in words ('term starts on delivery, not yet
        delivered'); '' otherwise."""
        term = self.event_term()
        return term.pending_text() if term is not None and self.term_anchor_on is None else ""


@dataclass
class DealDraft:
    direction: DealDirection
    counterparty_id: int | None = None
    reference: str = ""
    signed_on: date | None = None
    status: DealStatus = DealStatus.DRAFT
    currency: str = "USD"
    notes: str = ""
    grants: list[GrantDraft] = field(default_factory=list)
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class Known:
    """The reference data a deal is checked against."""

    countries: Collection[str]
    groups: Mapping[str, frozenset[str]]
    media: Collection[str]
    currencies: Collection[str]


def deal_problems(deal: DealDraft, known: Known) -> list[Problem]:
    """Every rule the deal breaks; empty when it can be saved."""
    problems: list[Problem] = []
    if not deal.reference.strip():
        problems.append(Problem("reference", "a deal needs a reference"))
    elif len(deal.reference) > MAX_REFERENCE:
        problems.append(Problem("reference", f"longer than {MAX_REFERENCE} characters"))
    if deal.counterparty_id is None:
        problems.append(Problem("counterparty", "choose who the deal is with"))
    if deal.currency not in known.currencies:
        problems.append(Problem("currency", f"'{deal.currency}' is not an ISO 4217 currency"))
    if deal.status is DealStatus.SIGNED and deal.signed_on is None:
        problems.append(Problem("signed_on", "a signed deal needs its signature date"))
    for number, grant in enumerate(deal.grants, start=1):
        problems += [Problem(f"grant {number}: {p.where}", p.message) for p in grant_problems(grant, known)]
    return problems


def grant_problems(grant: GrantDraft, known: Known) -> list[Problem]:
    problems: list[Problem] = []

    def check(ok: bool, where: str, message: str) -> None:
        if not ok:
            problems.append(Problem(where, message))

    check(bool(grant.titles or grant.libraries), "titles", "name at least one title or library")
    for item in grant.titles:
        first, last = item.first_episode, item.last_episode
        check(first is None or first >= 1, "episodes", "episode numbers start at 1")
        check(first is None or last is None or first <= last,
              "episodes", f"episode range {first}-{last} runs backwards")
    problems += scope_problems(grant.territories, known, "territories")
    check(bool(grant.media), "media", "name at least one media")
    for code in grant.media:
        check(code in known.media, "media", f"'{code}' is not a known media")
    for tag in grant.languages:
        error = language_problem(tag)
        check(error is None, "languages", error or "")
    check(not (grant.term_start and grant.term_end and grant.term_end < grant.term_start),
          "term", f"ends ({grant.term_end}) before it starts ({grant.term_start})")
    problems += event_term_problems(grant.term_anchor, grant.term_anchor_media, grant.term_start_offset,
                                    grant.term_duration, grant.term_anchor_on, fixed_start=grant.term_start,
                                    fixed_end=grant.term_end, known_media=set(known.media))
    for number, option in enumerate(grant.options, start=1):
        problems += option_problems(option, f"option {number}")
    for number, holdback in enumerate(grant.holdbacks, start=1):
        where = f"holdback {number}"
        check(bool(holdback.media), where, "name the media it holds back")
        for code in holdback.media + ([holdback.after_release_of] if holdback.after_release_of else []):
            check(code in known.media, where, f"'{code}' is not a known media")
        problems += scope_problems(holdback.territories, known, where)
        anchored = holdback.after_release_of is not None or holdback.days_after_release is not None
        if anchored:
            check(holdback.after_release_of is not None and holdback.days_after_release is not None, where,
                  "a holdback counted from a release needs both the media and the number of days")
            check((holdback.days_after_release or 0) >= 0, where, "days after release cannot be negative")
        else:
            check(holdback.ends_on is not None, where, "give an end date, or count from a release")
        check(not (holdback.starts_on and holdback.ends_on and holdback.ends_on < holdback.starts_on),
              where, "ends before it starts")
    return problems


def scope_problems(scope: TerritoryScope, known: Known, where: str) -> list[Problem]:
    problems = []
    for item in scope.items:
        if item.is_group and item.code not in known.groups:
            problems.append(Problem(where, f"'{item.code}' is not a territory group"))
        elif not item.is_group and item.code not in known.countries:
            problems.append(Problem(where, f"'{item.code}' is not an ISO 3166-1 country code"))
    if scope.is_empty():
        problems.append(Problem(where, "name at least one territory"))
    elif not problems and not scope.countries(known.groups):
        problems.append(Problem(where, f"'{scope.describe()}' leaves no territory at all"))
    return problems
