"""Terms counted from an event, and options to extend a term.

A grant's term may start or end relative to an event: "5 years from delivery", "18 months from
the first release on APP", "3 years from signature". The event (the anchor) and its offsets are
stored as ISO 8601 durations of years, months and days (P5Y, P18M, P2Y6M, P90D, P0D); people
type them as "5 years", "18 months", "2 years 6 months", "90 days" and read them that way.

Days are inclusive, as everywhere in RightsDesk (a term "2026-03-01 to 2031-02-28" includes both
days). A term of a length runs to the day before its *anniversary*: the same day of the month
that many years and months later, or, when that month is too short to have it (31 January plus
a month, 29 February plus a year), the first day of the next month. So:

- 5 years from 2026-03-01 ends on 2031-02-28;
- 1 year from 2024-02-29 ends on 2025-02-28 (and 4 years from it on 2028-02-28);
- 1 month from 2026-01-31 ends on 2026-02-28, 1 month from 2026-03-31 on 2026-04-30.

This is how contracts count ("the corresponding date"), and it makes terms chain: extending a term
by an option is a second term of the option's length starting the day after the first ends, so
a 5-year term from 2026-03-01 extended by 2 years ends on 2033-02-28. (Release window templates
count each step from the template's start instead, so that a sequence of windows abuts:
domain/windows.py.)

Until the event has a date, the term is *pending*: whatever it counts from the event is unknown,
and it is described in words ("term starts on delivery, not yet delivered").

An option to extend has a length, the last day it can be exercised (`exercise_by`) and the notice
it needs: notice of `notice_days` days before `exercise_by`, so the last day to exercise it is
`exercise_by - notice_days` (the notice deadline). It can be exercised once, on or before that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from rightsdesk.domain.enums import TermAnchor
from rightsdesk.domain.errors import Problem

MAX_YEARS = 99  # a longer term is a typing mistake (and dates end in 9999)


@dataclass(frozen=True)
class Duration:
    """A length of time in whole years, months and days (none negative)."""

    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def delta(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months, days=self.days)

    def is_zero(self) -> bool:
        return not (self.years or self.months or self.days)

    def iso(self) -> str:
        """ISO 8601: P5Y, P18M, P2Y6M, P0D."""
        parts = [f"{n}{unit}" for n, unit in ((self.years, "Y"), (self.months, "M"), (self.days, "D")) if n]
        return "P" + ("".join(parts) or "0D")

    def describe(self) -> str:
        """In words: '5 years', '18 months', '1 year 6 months', '0 days'."""
        parts = [f"{n} {unit}{'' if n == 1 else 's'}"
                 for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day")) if n]
        return " ".join(parts) or "0 days"


_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
_WORD = re.compile(r"(\d+)\s*(years?|yrs?|y|months?|mos?|m|weeks?|w|days?|d)(?![a-z])")
_WORDS = re.compile(rf"\s*(?:{_WORD.pattern}\s*)+")
_UNIT = {"y": "years", "m": "months", "w": "weeks", "d": "days"}


def parse_duration(text: str) -> Duration:
    """A length as typed: ISO 8601 ('P5Y', 'P1Y6M', 'P90D') or words ('5 years', '18 months',
    '2 years 6 months', '90 days', '2 weeks' = 14 days). Raises ValueError saying what it expects."""
    cleaned = text.strip().upper().replace(",", " ")
    iso = _ISO.fullmatch(cleaned)
    if iso and cleaned != "P":
        years, months, weeks, days = (int(g or 0) for g in iso.groups())
        return _checked(text, Duration(years, months, days + 7 * weeks))
    words = cleaned.lower().replace(" and ", " ")
    if words and _WORDS.fullmatch(words):
        found = {"years": 0, "months": 0, "weeks": 0, "days": 0}
        for match in _WORD.finditer(words):
            unit = match.group(2)
            found[_UNIT["m" if unit.startswith("mo") else unit[0]]] += int(match.group(1))
        return _checked(text, Duration(found["years"], found["months"], found["days"] + 7 * found["weeks"]))
    raise ValueError(f"'{text.strip()}' is not a length of time: write e.g. 5 years, 18 months, 90 days")


def _checked(text: str, duration: Duration) -> Duration:
    if duration.years + duration.months // 12 + duration.days // 365 > MAX_YEARS:
        raise ValueError(f"'{text.strip()}' is longer than {MAX_YEARS} years")
    return duration


def anniversary(start: date, length: Duration) -> date:
    """The day `length` after `start`: the same day of the month that many years and months
    later, or the first day of the next month when that month has no such day; then the days."""
    moved = start + relativedelta(years=length.years, months=length.months)
    if moved.day != start.day:  # clamped to a shorter month's end: the anniversary is the day after
        moved += timedelta(days=1)
    return moved + timedelta(days=length.days)


def term_end(start: date, length: Duration) -> date:
    """The last day (inclusive) of a term of `length` starting on `start`: the day before its
    anniversary. 5 years from 2026-03-01 ends on 2031-02-28. A zero length is refused."""
    if length.is_zero():
        raise ValueError("a term must last at least a day")
    return anniversary(start, length) - timedelta(days=1)


def extended_end(end: date, by: Duration) -> date:
    """A term's end after an extension of `by`: the end of a term of that length starting the
    day after. 2031-02-28 extended by 2 years ends on 2033-02-28."""
    return term_end(end + timedelta(days=1), by)


# -- a term counted from an event ---------------------------------------------------------------


EVENT_WORDS = {
    TermAnchor.SIGNATURE: ("signature", "not yet signed"),
    TermAnchor.DELIVERY: ("delivery", "not yet delivered"),
    TermAnchor.FIRST_RELEASE: ("the first {media} release", "not yet released"),
}


def event_name(anchor: TermAnchor, media: str | None = None) -> str:
    """The event in words: 'delivery', 'signature', 'the first APP release'."""
    return EVENT_WORDS[anchor][0].format(media=media or "")


_ANCHOR = re.compile(r"(signature|signing|delivery|first[ _]release)(?:\s+(?:on\s+)?([a-z0-9][a-z0-9_.-]*))?",
                     re.IGNORECASE)


def parse_anchor(text: str) -> tuple[TermAnchor, str | None]:
    """What a term counts from, as typed: 'signature', 'delivery', 'first release APP' (or
    'first release on APP') -> (anchor, media). The media is as typed ('first release inflight'
    -> 'inflight'): saving the grant finds the medium whatever the case (domain/media.py).
    Raises ValueError saying what it takes."""
    match = _ANCHOR.fullmatch(" ".join(text.strip().split()))
    if match:
        event, media = match.group(1).lower(), match.group(2)
        if event.startswith("first"):
            if media:
                return TermAnchor.FIRST_RELEASE, media
        elif not media:
            return (TermAnchor.SIGNATURE if event.startswith("sign") else TermAnchor.DELIVERY), None
    raise ValueError(f"'{text.strip()}' is not an event a term counts from: write signature, delivery, "
                     "or first release and a media (first release APP)")


@dataclass(frozen=True)
class EventTerm:
    """How a grant's term counts from an event. `start_offset` None: the start is the grant's
    own fixed start; `length` None: the end is the grant's own fixed (or open) end."""

    anchor: TermAnchor
    media: str | None = None  # for FIRST_RELEASE: the medium whose first release counts
    start_offset: Duration | None = None
    length: Duration | None = None

    def start_from(self, event_on: date) -> date | None:
        """The computed start, or None when the start is fixed."""
        return None if self.start_offset is None else event_on + self.start_offset.delta

    def end_from(self, event_on: date) -> date | None:
        """The computed end (inclusive), or None when the end is fixed. The length counts from
        the event moved by the start offset (from the event itself when the start is fixed)."""
        if self.length is None:
            return None
        return term_end(event_on + (self.start_offset or Duration()).delta, self.length)

    def pending_text(self) -> str:
        """A term whose event has no date yet, in words: 'term starts on delivery, not yet
        delivered'; 'term ends 18 months after the first APP release, not yet released'."""
        event, not_yet = event_name(self.anchor, self.media), EVENT_WORDS[self.anchor][1]
        if self.start_offset is not None:
            after = "" if self.start_offset.is_zero() else f" {self.start_offset.describe()} after"
            return f"term starts{after or ' on'} {event}, {not_yet}"
        return f"term ends {self.length.describe() if self.length else 'some time'} after {event}, {not_yet}"

    def describe(self) -> str:
        """The rule in words: '5 years from delivery', 'from the first APP release for 18 months'."""
        event = event_name(self.anchor, self.media)
        if self.start_offset is not None and not self.start_offset.is_zero():
            event = f"{self.start_offset.describe()} after {event}"
        return f"{self.length.describe()} from {event}" if self.length else f"from {event}"


def event_term_problems(anchor: TermAnchor | None, media: str | None, start_offset: str | None,
                        length: str | None, event_on: date | None, *, fixed_start: date | None,
                        fixed_end: date | None, known_media: set[str] | frozenset[str] | None = None) -> list[Problem]:
    """What is inconsistent in a term counted from an event, as stored (ISO durations). Empty
    when fine. Without an anchor nothing may be counted; with one, something must be."""
    problems: list[Problem] = []
    if anchor is None:
        if start_offset or length or event_on or media:
            problems.append(Problem("term", "choose the event the term is counted from, or clear the counting"))
        return problems
    parsed: dict[str, Duration | None] = {}
    for name, text, words in (("offset", start_offset, "the start's delay after the event"),
                              ("length", length, "the term's length")):
        try:
            parsed[name] = parse_duration(text) if text else None
        except ValueError as error:
            problems.append(Problem("term", f"{words}: {error}"))
            parsed[name] = None
    if start_offset is None and length is None:
        problems.append(Problem("term", f"say how long the term runs from {event_name(anchor, media or '…')}"))
    if parsed.get("length") is not None and parsed["length"].is_zero():  # type: ignore[union-attr]
        problems.append(Problem("term", "a term must last at least a day"))
    if anchor is TermAnchor.FIRST_RELEASE:
        if not media:
            problems.append(Problem("term", "say which media's first release the term is counted from"))
        elif known_media is not None and media not in known_media:
            problems.append(Problem("term", f"'{media}' is not a known media"))
    elif media:
        problems.append(Problem("term", f"a term counted from {event_name(anchor)} names no media"))
    if event_on is None:
        # What is counted from the event is unknown until it has a date: it cannot also be typed.
        if start_offset and fixed_start is not None:
            problems.append(Problem("term", f"the start is counted from {event_name(anchor, media)}: "
                                            "leave the start date empty until it has a date"))
        if length and fixed_end is not None:
            problems.append(Problem("term", f"the end is counted from {event_name(anchor, media)}: "
                                            "leave the end date empty until it has a date"))
    return problems


# -- options to extend --------------------------------------------------------------------------


@dataclass
class OptionDraft:
    """An option to extend a grant's term by `extend_by` (ISO 8601), to be exercised by
    `exercise_by` with `notice_days` days' notice."""

    extend_by: str
    exercise_by: date
    notice_days: int = 0
    exercised_on: date | None = None
    exercised_by: str = ""
    notes: str = ""
    id: int | None = None

    @property
    def notice_deadline(self) -> date:
        """The last day the option can be exercised: `exercise_by` less the notice it needs."""
        return notice_deadline(self.exercise_by, self.notice_days)

    def describe(self) -> str:
        try:
            length = parse_duration(self.extend_by).describe()
        except ValueError:
            length = self.extend_by
        notice = f" with {self.notice_days} days' notice" if self.notice_days else ""
        return f"option to extend by {length}, to exercise by {self.exercise_by}{notice}"


def notice_deadline(exercise_by: date, notice_days: int) -> date:
    return exercise_by - timedelta(days=notice_days)


def option_problems(option: OptionDraft, where: str) -> list[Problem]:
    problems = []
    try:
        if parse_duration(option.extend_by).is_zero():
            problems.append(Problem(where, "an option must extend the term by at least a day"))
    except ValueError as error:
        problems.append(Problem(where, str(error)))
    if option.notice_days < 0:
        problems.append(Problem(where, "the notice cannot be negative"))
    if option.exercised_on is not None and option.exercised_on > option.notice_deadline:
        problems.append(Problem(where, _too_late(option, option.exercised_on)))
    return problems


def _too_late(option: OptionDraft, on: date) -> str:
    if option.notice_days:
        return (f"exercised on {on}, too late: it had to be exercised by {option.exercise_by} with "
                f"{option.notice_days} days' notice, so by {option.notice_deadline}")
    return f"exercised on {on}, too late: it had to be exercised by {option.exercise_by}"


def exercise_problem(option: OptionDraft, on: date, current_end: date | None, pending: str = "") -> str | None:
    """Why the option cannot be exercised on `on` by a term ending on `current_end`, or None."""
    if option.exercised_on is not None:
        return f"the option was already exercised on {option.exercised_on}" + (
            f" by {option.exercised_by}" if option.exercised_by else "")
    if on > option.notice_deadline:
        return _too_late(option, on)
    if pending:
        return f"the term's end is not known yet ({pending})"
    if current_end is None:
        return "the term has an open end: there is nothing to extend"
    return None


def exercise(option: OptionDraft, on: date, user: str, current_end: date | None, pending: str = "") -> date:
    """Mark the option exercised on `on` by `user`; returns the term's new end. Raises
    ValueError with the reason when it cannot be exercised."""
    problem = exercise_problem(option, on, current_end, pending)
    if problem:
        raise ValueError(problem)
    assert current_end is not None
    option.exercised_on, option.exercised_by = on, user
    return extended_end(current_end, parse_duration(option.extend_by))


@dataclass(frozen=True)
class ComputedTerm:
    """A term as an event and the exercised options make it: the dates (None where fixed or
    still unknown) and, while the event has no date, the words for it."""

    start: date | None
    end: date | None
    pending: str = ""


def computed_term(term: EventTerm, event_on: date | None, fixed_start: date | None, fixed_end: date | None,
                  exercised: list[Duration]) -> ComputedTerm:
    """The term's start and end: what the event fixes (from its date) or leaves unknown, the
    fixed dates otherwise; an event-counted end is extended by every exercised option in turn."""
    if event_on is None:
        return ComputedTerm(None if term.start_offset else fixed_start, None if term.length else fixed_end,
                            term.pending_text())
    start = term.start_from(event_on) or fixed_start
    end = term.end_from(event_on)
    if end is None:
        return ComputedTerm(start, fixed_end)
    for extension in exercised:
        end = extended_end(end, extension)
    return ComputedTerm(start, end)
