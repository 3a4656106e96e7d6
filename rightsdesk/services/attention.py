"""What needs attention today: rights about to lapse, releases that music or localization would
block, licences nobody has answered, localization past its due date, statements to run or issue,
statements owed, statement emails that failed.
Each item names the record behind it so the home screen can open it."""

from __future__ import annotations

import re

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.avails import Status
from rightsdesk.domain.enums import DealStatus, LicenceStatus, LocalizationStatus, StatementStatus, WindowStatus
from rightsdesk.domain.localization import KIND_WORDS, LABELS
from rightsdesk.persistence.models import (
    Deal,
    LocalizationTask,
    MusicLicence,
    MusicTrack,
    Party,
    RoyaltyTerms,
    Statement,
    Title,
)
from rightsdesk.services import deals, delivery, licensing, payments, windows
from rightsdesk.services.statements import period_of

EXPIRING_DAYS = 30
WINDOW_DAYS = 30
OPTION_DAYS = 60  # options to extend: their exercise (notice) deadline this close (issue 19)
# Items a section lists; the count says how many there are in all. Home lays every one out as
# it starts: 200 a section (~830 on the 20 000-title demo) made a 109-126 ms stall there, 100
# a section 67-71 ms (bench/gui.py, issue 15), and a hundred is more than anyone reads.
SHOWN = 100


@dataclass(frozen=True)
class Item:
    when: date | None  # the day that matters (an end, a start, a due date)
    text: str
    detail: str
    record: str  # deal, window, licence, task, statement, period
    record_id: int
    period: str = ""  # for a statement not yet run: its period label


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item]
    total: int  # before the list was cut to SHOWN


def attention(session: Session, today: date) -> list[Section]:
    return [
        Section("expiring", f"Rights expiring in the next {EXPIRING_DAYS} days", *_cut(_expiring(session, today))),
        Section("blocked", f"Releases in the next {WINDOW_DAYS} days blocked by music or localization",
                *_cut(_blocked_windows(session, today))),
        Section("licences", "Music licences waiting for an answer", *_cut(_waiting_licences(session, today))),
        Section("overdue", "Localization past its due date", *_cut(_overdue_tasks(session, today))),
        Section("statements", "Statements to run or issue", *_cut(_statements_due(session, today))),
        Section("options", f"Options to extend to exercise in the next {OPTION_DAYS} days",
                *_cut(_options_due(session, today))),
        Section("owed", "Statements owed to participants, overdue first", *_cut(_owed(session, today))),
        Section("emails", "Statement emails that failed", *_cut(_failed_emails(session))),
    ]


def _cut(items: list[Item]) -> tuple[list[Item], int]:
    return items[:SHOWN], len(items)


def _expiring(session: Session, today: date) -> list[Item]:
    return [Item(line.term_end, f"{_deal_named(line.deal_reference, line.direction.value)} · {line.counterparty}",
                 f"{line.titles} · {line.territories} · {line.media}", "deal", line.deal_id)
            for line in licensing.expiring_grants(session, today=today, days=EXPIRING_DAYS)]


def _deal_named(reference: str, direction: str) -> str:
    """A deal by its reference, with its direction when the reference does not say it already
    ("OUT-2025-0272", not "OUT-2025-0272 (OUT)"; "Lumen 2026 (IN)")."""
    said = re.match(rf"{direction}\b", reference, re.IGNORECASE)  # (an OUT deal 'INDIE-5' does not say IN)
    return reference if said else f"{reference} ({direction.upper()})"


def _options_due(session: Session, today: date) -> list[Item]:
    """Options not exercised whose last day to exercise (with its notice) is within OPTION_DAYS."""
    items = []
    for due in deals.options_due(session, today, OPTION_DAYS):
        notice = f" with {due.notice_days} days' notice" if due.notice_days else ""
        items.append(Item(due.deadline, f"{due.deal_reference} · {due.counterparty}",
                          f"extend by {due.extend_by}: exercise by {due.exercise_by}{notice}, "
                          f"{(due.deadline - today).days} days left", "deal", due.deal_id))
    return items


def _blocked_windows(session: Session, today: date) -> list[Item]:
    blocking = {Status.MUSIC_NOT_CLEARED, Status.NOT_LOCALIZED}
    items = []
    for view in windows.windows_starting(session, today, today + timedelta(days=WINDOW_DAYS)):
        window = view.window
        if window.id is None or window.status is WindowStatus.CANCELLED:
            continue
        # A flag's explanation lists every reason for its days; only music and localization are asked here.
        why = list(dict.fromkeys(part for flag in view.flags if flag.status in blocking
                                 for part in flag.explanation.split("; ")
                                 if part.startswith(("music not cleared", "not localized"))))
        if why:
            items.append(Item(window.start, f"{view.title_name} · {window.territory} · {window.media}",
                              "; ".join(why), "window", window.id))
    return items


def _waiting_licences(session: Session, today: date) -> list[Item]:
    rows = session.execute(
        select(MusicLicence.id, MusicLicence.status, MusicLicence.requested_on, MusicTrack.title, Party.name)
        .join(MusicTrack, MusicTrack.id == MusicLicence.track_id).outerjoin(Party, Party.id == MusicLicence.licensor_id)
        .where(MusicLicence.status.in_([LicenceStatus.REQUESTED, LicenceStatus.QUOTED]))
        .order_by(MusicLicence.requested_on, MusicLicence.id))
    items = []
    for licence_id, status, requested, track, licensor in rows:
        waiting = f", {(today - requested).days} days ago" if requested else ""
        state = "quoted: to accept or refuse" if status is LicenceStatus.QUOTED else f"requested{waiting}"
        items.append(Item(requested, f"“{track}”" + (f" · {licensor}" if licensor else ""), state, "licence", licence_id))
    return items


def _overdue_tasks(session: Session, today: date) -> list[Item]:
    rows = session.execute(
        select(LocalizationTask.id, LocalizationTask.due_on, LocalizationTask.language_tag, LocalizationTask.kind,
               LocalizationTask.status, Title.original_name, Party.name)
        .join(Title, Title.id == LocalizationTask.title_id).outerjoin(Party, Party.id == LocalizationTask.vendor_id)
        .where(LocalizationTask.due_on < today, LocalizationTask.status != LocalizationStatus.DELIVERED)
        .order_by(LocalizationTask.due_on, LocalizationTask.id))
    return [Item(due, f"{title} · {language} {KIND_WORDS[kind]}",
                 f"{LABELS[status]}, {(today - due).days} days late" + (f" · {vendor}" if vendor else ""), "task", task_id)
            for task_id, due, language, kind, status, title, vendor in rows]


def _owed(session: Session, today: date) -> list[Item]:
    """Issued statements with something still owed (issue 20), overdue ones first: due by the
    deal's payment terms (45 days after issue unless they say otherwise)."""
    items = []
    for due in sorted(payments.standing(session, today=today, owed_only=True), key=lambda d: (not d.overdue, d.due_on)):
        owed = f"{due.owed:,.{due.minor_units}f} {due.currency}"
        paid = f" ({due.paid:,.{due.minor_units}f} paid of {due.to_pay:,.{due.minor_units}f})" if due.paid else ""
        late = (today - due.due_on).days
        when = f"overdue by {late} day{'s' if late != 1 else ''}" if due.overdue else f"due {due.due_on}"
        items.append(Item(due.due_on, f"{due.number} · {due.deal} · {due.period} · {due.participant}",
                          f"{owed} owed{paid}, {when}", "statement", due.statement_id))
    return items


def _statements_due(session: Session, today: date) -> list[Item]:
    """Drafts of ended periods wait to be issued; a signed deal's last ended period with no
    statement waits to be run."""
    items = [Item(statement.period_end, f"{reference} · {statement.period_label} · {participant}",
                  "draft: check and issue", "statement", statement.id)
             for statement, reference, participant in session.execute(
                 select(Statement, Deal.reference, Party.name).join(Deal, Deal.id == Statement.deal_id)
                 .join(Party, Party.id == Statement.participant_id)
                 .where(Statement.status == StatementStatus.DRAFT, Statement.period_end < today)
                 .order_by(Statement.period_end, Deal.reference))]
    run = {(deal_id, start) for deal_id, start in session.execute(select(Statement.deal_id, Statement.period_start))}
    for terms, reference in session.execute(select(RoyaltyTerms, Deal.reference).join(Deal, Deal.id == RoyaltyTerms.deal_id)
                                            .where(Deal.status == DealStatus.SIGNED).order_by(Deal.reference)):
        current_start = period_of(terms.frequency, today)[1]
        label, start, end = period_of(terms.frequency, current_start - timedelta(days=1))
        if (terms.deal_id, start) not in run and (terms.first_period_start is None or terms.first_period_start <= start):
            items.append(Item(end, f"{reference} · {label}", "not run yet", "period", terms.deal_id, period=label))
    return sorted(items, key=lambda i: (i.when or today, i.text))


def _failed_emails(session: Session) -> list[Item]:
    """Issued statements whose last email failed (issue 20), until one is sent: Sent log… resends."""
    return [Item(failed.at.date(), f"{failed.number} · {failed.deal} · {failed.period} · {failed.participant}",
                 f"to {failed.recipients}: {failed.error}", "statement", failed.statement_id)
            for failed in delivery.failed_deliveries(session)]
