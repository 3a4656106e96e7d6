"""What the Statements screen shows and does, as plain data and use cases (issue 18): the list of
statements with where each one's payment stands, one statement's waterfall and balances, its
deal's history, and the actions (a period run, issuing after a copy of the database is saved).

Amounts are Decimals in the statement's currency; the screen formats them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain.enums import LibrarySplitRule, StatementLineKind, StatementStatus
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.payments import to_pay
from rightsdesk.domain.words import plural, runtime
from rightsdesk.persistence.backup import backup_sqlite, default_backup_path
from rightsdesk.persistence.models import Deal, Library, Party, RoyaltyTerms, Statement, Title
from rightsdesk.services import issuing, payments, statements

Report = Callable[[str, int], None]

# The waterfall's steps, shown in bold: what the participant's money comes to at each stage.
STEPS = frozenset({StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID,
                   StatementLineKind.TO_PAY})


def _quiet(_stage: str, _percent: int) -> None:
    """No one to tell (the command line, a test)."""


# -- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    """One statement as the list shows it. `number` is "" for a draft; `to_pay` is its Paid step
    with what a minimum payout carried in or out (domain.payments.to_pay)."""

    statement_id: int
    number: str
    period: str
    deal: str
    participant: str
    currency: str
    gross_receipts: Decimal
    net_receipts: Decimal
    payable: Decimal
    to_pay: Decimal
    status: StatementStatus


def statement_rows(session: Session, *, today: date) -> tuple[list[StatementRow], dict[int, payments.StatementDue]]:
    """Every statement, newest period first then by deal, and where each issued one's payment
    stands on `today` (statement id -> StatementDue; drafts are owed nothing)."""
    found = session.execute(
        select(Statement.id, Statement.number, Statement.period_label, Deal.reference, Party.name, Statement.currency,
               Statement.gross_receipts, Statement.net_receipts, Statement.payable, Statement.paid,
               Statement.brought_forward, Statement.carried_forward, Statement.status)
        .join(Deal, Deal.id == Statement.deal_id).join(Party, Party.id == Statement.participant_id)
        .order_by(Statement.period_start.desc(), Deal.reference, Statement.id)).all()
    # what each asks to be paid, added here in money: in SQL the scaled integers come back unscaled
    rows = [StatementRow(i, number or "", period, deal, participant, currency, gross, net, payable,
                         to_pay(paid, brought, carried), status)
            for (i, number, period, deal, participant, currency, gross, net, payable, paid, brought, carried, status)
            in found]
    settled = {due.statement_id: due for due in payments.standing(session, today=today)}
    return rows, settled


# -- one statement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterfallLine:
    """A line of the waterfall: `step` is the kind in words; `description` says the split basis
    of a library's title and the conversion of a line in another currency; `is_step` for the
    totals the money comes to."""

    step: str
    description: str
    title: str
    media: str
    territory: str
    amount: Decimal
    is_step: bool
    library_share: str = ""  # how a library's revenue came to this title, in words ("" when it did not)
    source_amount: Decimal | None = None
    source_currency: str = ""
    fx_rate: Decimal | None = None
    fx_date: date | None = None


@dataclass(frozen=True)
class Balance:
    """Opening and closing balances of the deal (`title` "") or of one title standing alone."""

    title: str
    figures: tuple[tuple[str, Decimal, Decimal], ...]  # name, opening, closing


@dataclass(frozen=True)
class StatementDetail:
    statement_id: int
    deal_id: int
    status: StatementStatus
    currency: str
    lines: list[WaterfallLine]
    balances: list[Balance]


_BALANCE_FIGURES = (("MG outstanding", "mg_outstanding"), ("unrecouped expenses", "unrecouped_expenses"),
                    ("cumulative net", "cumulative_net"), ("deficit", "deficit"), ("reserve", "reserve"))
_ONLY_WHEN_HELD = {"deficit", "reserve"}  # shown only when there is one


def library_share(library: str, rule: LibrarySplitRule | None, basis: Decimal | None) -> str:
    """How a line reported against a whole library came to one of its titles, in the words of
    the deal's split rule: "share of Verano Shorts by runtime (this title 2:40:23)". The basis
    is the title's runtime in seconds, its episode count, its views, or 1 for equal shares."""
    shown = ""
    if basis is not None and rule is LibrarySplitRule.RUNTIME:
        shown = f"this title {runtime(int(basis))}"
    elif basis is not None and rule is LibrarySplitRule.EPISODE_COUNT:
        shown = f"this title {plural(int(basis), 'episode')}"
    elif basis is not None and rule is LibrarySplitRule.VIEWS:
        shown = f"this title {plural(int(basis), 'view')}"
    how = {LibrarySplitRule.RUNTIME: "by runtime", LibrarySplitRule.EPISODE_COUNT: "by episodes",
           LibrarySplitRule.VIEWS: "by views", LibrarySplitRule.EQUAL: "in equal shares"}.get(rule, "") if rule else ""
    words = " ".join(part for part in (f"share of {library or 'a library'}", how) if part)
    return f"{words} ({shown})" if shown else words


def statement_detail(session: Session, statement_id: int) -> StatementDetail:
    """One statement's waterfall, in order, and its balances opening and closing. NotFound when
    it no longer exists (another desk ran its period again)."""
    statement = session.get(Statement, statement_id, options=[selectinload(Statement.lines),
                                                             selectinload(Statement.balances)])
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    title_ids = {l.title_id for l in statement.lines if l.title_id} | {b.title_id for b in statement.balances if b.title_id}
    names = dict(session.execute(select(Title.id, Title.original_name).where(Title.id.in_(title_ids))).all()) \
        if title_ids else {}
    library_ids = {line.library_id for line in statement.lines if line.library_id is not None}
    libraries = dict(session.execute(select(Library.id, Library.name).where(Library.id.in_(library_ids))).all()) \
        if library_ids else {}
    rule = session.scalar(select(RoyaltyTerms.library_split_rule).where(RoyaltyTerms.deal_id == statement.deal_id)) \
        if library_ids else None
    lines = [WaterfallLine(
        line.kind.value.replace("_", " "), line.description, names.get(line.title_id, ""), line.media_code or "",
        line.territory_code or "", line.amount, line.kind in STEPS,
        library_share(libraries.get(line.library_id, ""), rule, line.split_basis) if line.library_id is not None else "",
        line.source_amount if line.source_currency and line.source_currency != statement.currency else None,
        line.source_currency or "", line.fx_rate, line.fx_date) for line in statement.lines]
    balances = []
    for balance in statement.balances:
        figures = []
        for name, field in _BALANCE_FIGURES:
            opening, closing = getattr(balance, f"opening_{field}"), getattr(balance, f"closing_{field}")
            if opening or closing or field not in _ONLY_WHEN_HELD:
                figures.append((name, opening, closing))
        who = (names.get(balance.title_id) or "Title") if balance.title_id else ""
        balances.append(Balance(who, tuple(figures)))
    return StatementDetail(statement.id, statement.deal_id, statement.status, statement.currency, lines, balances)


@dataclass(frozen=True)
class HistoryRow:
    """A statement of the deal with what it carried forward (closing balances summed over titles)."""

    period: str
    number: str  # "" for a draft
    status: StatementStatus
    currency: str
    net_receipts: Decimal
    paid: Decimal
    mg_outstanding: Decimal
    unrecouped_expenses: Decimal


def deal_history(session: Session, deal_id: int) -> list[HistoryRow]:
    """Every statement of the deal, oldest first."""
    earlier = session.scalars(select(Statement).where(Statement.deal_id == deal_id)
                              .options(selectinload(Statement.balances)).order_by(Statement.period_start)).all()
    return [HistoryRow(s.period_label, s.number or "", s.status, s.currency, s.net_receipts, s.paid,
                       sum((b.closing_mg_outstanding for b in s.balances), Decimal(0)),
                       sum((b.closing_unrecouped_expenses for b in s.balances), Decimal(0))) for s in earlier]


@dataclass(frozen=True)
class StatementView:
    """All the screen shows under its list for one statement, read together (off the UI thread):
    its waterfall and balances, its deal's history, the payments recorded against it, newest
    first, and where its payment stands (None for a draft, which is owed nothing)."""

    detail: StatementDetail
    history: list[HistoryRow]
    payments: list[payments.PaymentRow]
    due: payments.StatementDue | None


def statement_view(session: Session, statement_id: int, *, today: date) -> StatementView:
    """One statement as the screen shows it under the list, on `today`. NotFound when it no
    longer exists."""
    detail = statement_detail(session, statement_id)
    dues = payments.standing(session, today=today, statement_ids=[statement_id])
    return StatementView(detail, deal_history(session, detail.deal_id),
                         payments.payments(session, statement_ids=[statement_id]), dues[0] if dues else None)


# -- acting -----------------------------------------------------------------------------------


def run_period(session: Session, label: str, *, user: str, report: Report = _quiet) -> statements.RunResult:
    """Draft the statements of a period (statements.run) as one unit of work, saying so to
    `report(stage, percent)`, which raises to cancel (nothing is then written)."""
    return statements.run(session, label, user=user, report=report)


@dataclass(frozen=True)
class IssueResult:
    issued: list[issuing.Issued]
    saved: Path | None  # the copy of the database taken first; None for a server database


def issue_drafts(session: Session, statement_ids: list[int], *, user: str, report: Report = _quiet,
                 on: date | None = None) -> IssueResult:
    """Issue drafts all or nothing, oldest period first, once a copy of the database file is
    saved (issuing cannot be undone: the copy is the way back). A refusal (UserError) names the
    deal it is about; a copy that cannot be written refuses the issue, nothing issued."""
    report("Saving a copy of the database", 5)
    saved = back_up_before_issuing(session)
    report("Numbering and locking", 50)
    issued = issuing.issue_in_order(session, statement_ids, user=user, on=on)
    return IssueResult(issued, saved)


def back_up_before_issuing(session: Session) -> Path | None:
    """Copy the SQLite file the session writes to beside it (backups/…-before-issue.db) and say
    where; None for a server database, whose own backups are its administrator's."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or not bind.url.database or bind.url.database == ":memory:":
        return None
    path = Path(bind.url.database)
    try:
        return backup_sqlite(path, default_backup_path(path, "before-issue"))
    except OSError as error:  # a full disk, a folder that cannot be written: nothing is issued
        raise UserError(f"could not save a copy of the database before issuing ({error}); nothing was issued") from error
