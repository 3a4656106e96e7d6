"""Release windows: planning them from templates, and what is wrong with a window.

A template is a sequence of media with offsets from a start date, e.g. APP exclusive day 0-90,
AVOD from +91 days, FAST from +180 days. Offsets are python-dateutil relativedeltas (months,
then days), so "+1 month" from 31 January lands on the last day of February, as people mean.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from rightsdesk.domain import avails
from rightsdesk.domain.avails import AvailsQuery, Status, TitleRights
from rightsdesk.domain.errors import Problem


@dataclass(frozen=True)
class TemplateStep:
    media: str
    start_months: int = 0
    start_days: int = 0
    length_months: int | None = None  # no length: the window stays open
    length_days: int | None = None
    exclusive: bool = False

    def describe(self) -> str:
        start = _offset(self.start_months, self.start_days) or "day 0"
        if self.length_months is None and self.length_days is None:
            return f"{self.media} from {start}"
        return f"{self.media} from {start} for {_offset(self.length_months or 0, self.length_days or 0, sign=False)}"


def _offset(months: int, days: int, *, sign: bool = True) -> str:
    parts = [f"{months} month{'s' if months != 1 else ''}"] if months else []
    parts += [f"{days} day{'s' if days != 1 else ''}"] if days else []
    text = " ".join(parts)
    return f"+{text}" if text and sign else text


@dataclass(frozen=True)
class PlannedWindow:
    media: str
    start: date
    end: date | None  # inclusive; None: open
    exclusive: bool


def plan(steps: list[TemplateStep], start: date) -> list[PlannedWindow]:
    """The windows a template gives from a start date. Both ends are counted from the template's
    start: a window ends the day before start + (its offset + its length), so a window whose
    offset is the previous one's offset plus length starts the day after it ends, in every month
    (from 31 August: APP 6 months ends 27 February, SVOD from +6 months starts 28 February;
    counting the end from a start clamped to month end would leave a day uncovered)."""
    planned = []
    for step in steps:
        first = start + relativedelta(months=step.start_months, days=step.start_days)
        if step.length_months is None and step.length_days is None:
            last = None
        else:
            last = start + relativedelta(months=step.start_months + (step.length_months or 0),
                                         days=step.start_days + (step.length_days or 0)) - timedelta(days=1)
        planned.append(PlannedWindow(step.media, first, last, step.exclusive))
    return planned


def template_problems(name: str, steps: list[TemplateStep], media: Collection[str]) -> list[Problem]:
    problems = []
    if not name.strip():
        problems.append(Problem("name", "a template needs a name"))
    if not steps:
        problems.append(Problem("steps", "a template needs at least one step"))
    for number, step in enumerate(steps, start=1):
        where = f"step {number}"
        if step.media not in media:
            problems.append(Problem(where, f"'{step.media}' is not a known media"))
        if step.start_months < 0 or step.start_days < 0:
            problems.append(Problem(where, "offsets count forward from the start date"))
        if (step.length_months or 0) < 0 or (step.length_days or 0) < 0:
            problems.append(Problem(where, "a length cannot be negative"))
        if step.length_months == 0 and step.length_days == 0:
            problems.append(Problem(where, "a window must last at least a day (or leave the length empty)"))
    return problems


@dataclass(frozen=True)
class WindowFlag:
    """What is wrong with a window over some of its days."""

    status: Status
    start: date | None
    end: date | None
    explanation: str

    def describe(self) -> str:
        return f"{avails.term_text(self.start, self.end)}: {self.explanation}"


FLAG_WORDS = {
    Status.NOT_ACQUIRED: "outside the rights held",
    Status.HOLDBACK: "breaks a holdback",
    Status.MUSIC_NOT_CLEARED: "music not cleared",
    Status.NOT_LOCALIZED: "not localized",
    Status.LICENSED_EXCLUSIVE: "licensed exclusively to someone else",
}


def window_flags(title: TitleRights, territory: str, media: str, start: date, end: date | None,
                 *, exclusive: bool = False) -> list[WindowFlag]:
    """Days of a window (its title, territory, media) that the rights do not allow: outside what
    was acquired, under a holdback, or licensed exclusively to another licensee. `title` holds
    the rights without the window's own grant, which is what licenses it."""
    query = AvailsQuery((title.title_id,), (territory,), (media,), start, end, exclusive=exclusive)
    cell = avails.answer(query, [title]).cell(title.title_id, territory, media)
    return [
        WindowFlag(segment.status, segment.start, segment.end, _flag_text(segment.status, segment.reasons))
        for segment in cell.segments if not segment.allows(exclusive)
    ]


def _flag_text(status: Status, reasons: tuple[avails.Reason, ...]) -> str:
    words = FLAG_WORDS.get(status, status.label.lower())
    explained = "; ".join(reason.explanation for reason in reasons)
    # restrictions of clearance and localization already say what they are
    return explained if explained.startswith(words) else f"{words}: {explained}"
