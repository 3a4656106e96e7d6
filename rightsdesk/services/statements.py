"""Statement runs: every deal's waterfall for a period, from the revenue imported, with balances
carried from the previous statement; issuing locks a statement and records its content hash.

Which deal and which statement take a revenue line: rightsdesk.services.statement_revenue
(late revenue goes on the deal's next statement that is not issued). A line no statement
holds is listed with its reason, never dropped: `statement_revenue.reconcile`.

At volume (issue 15): a month-end is a million lines and a few thousand deals. The revenue is
gathered set-wise (rightsdesk.services.statement_receipts: a gross receipts line sums a title's
lines of one media, territory, type, period and currency, rounded once), everything else a
deal's statement needs is read once for all due deals (`_Context`), and statements, lines and
holdings are written in bulk, a few hundred deals at a time (lines drafted wait in a temporary
table, not in memory). From BESIDE_FROM lines, a second process sums and drafts a share of the
deals on the other core (_draft_beside), on the same snapshot, and this one writes them all
(its own while the other finishes).

FX (the deal's documented rule): each line is converted to the deal's currency at the most
recent rate on or before the last day of the statement period (or, by the deal's rule, of the
line's own period), entered direct or inverse, as rightsdesk.services.fx finds it; a rate
older than the period's start is flagged on the run and on the statement.

Chaining: a run redrafts the deal's later drafts (their opening balances are the closing
balances before them as they now stand). Issuing, corrections and a statement's figures:
rightsdesk.services.issuing.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain import royalties
from rightsdesk.domain.enums import (
    AuditAction,
    DealDirection,
    DealStatus,
    FxDateRule,
    StatementFrequency,
    StatementLineKind,
    StatementStatus,
)
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.money import round_to_minor_unit
from rightsdesk.domain.payments import to_pay
from rightsdesk.domain.revenue import parse_period
from rightsdesk.domain.royalties import Balances, FeeRule, MgPayment, Receipt, ReserveLayer, Terms, Tier
from rightsdesk.persistence.models import (
    AuditEntry,
    Deal,
    Expense,
    Grant,
    GrantTitle,
    Party,
    RevenueLine,
    RoyaltyTerms,
    Statement,
    StatementAdjustment,
    StatementBalance,
    StatementExpense,
    StatementLine,
    StatementRevenue,
    StatementTitleRevenue,
)
from rightsdesk.persistence.bulk import (
    Parked,
    Parking,
    Snapshot,
    iso_day,
    keys_checked_at_once,
    no_cycle_collection,
    plain_day,
    reading,
    snapshot_of,
)
from rightsdesk.persistence.database import Database, take_turns
from rightsdesk.services import audit, fx, processes, reference, statement_receipts
from rightsdesk.services.listing import chunks

MONTHS = {StatementFrequency.MONTHLY: 1, StatementFrequency.QUARTERLY: 3, StatementFrequency.SEMI_ANNUAL: 6,
          StatementFrequency.ANNUAL: 12}
FX_RULES = {
    FxDateRule.PERIOD_END: "converted at the most recent rate on or before the last day of the statement period",
    FxDateRule.LINE_PERIOD_END: "converted at the most recent rate on or before the last day of the period each line reports",
}


def period_of(frequency: StatementFrequency, day: date) -> tuple[str, date, date]:
    """The statement period of a frequency that holds a day: label, first and last day."""
    months = MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    end = start + relativedelta(months=months, days=-1)
    label = {1: f"{day.year}-{first_month:02d}", 3: f"{day.year}-Q{(first_month + 2) // 3}",
             6: f"{day.year}-H{(first_month + 5) // 6}", 12: f"{day.year}"}[months]
    return label, start, end


def parse_label(label: str) -> tuple[date, date]:
    given = label.strip()
    if given.isdigit() and len(given) == 4:
        return date(int(given), 1, 1), date(int(given), 12, 31)
    try:
        return parse_period(given)
    except ValueError:
        raise UserError(f"'{label}' is not a period (2026-Q3, 2026-07, 2026-H2 or 2026)") from None


@dataclass
class RunResult:
    period: str
    statements: list[int] = field(default_factory=list)
    skipped_issued: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)  # "IN-1 (2026-Q3 is issued)": no draft before an issued period
    redrafted: list[int] = field(default_factory=list)  # later drafts of the same deals, rebuilt on these
    unmatched_lines: list[int] = field(default_factory=list)  # no title or library
    ungoverned_lines: list[int] = field(default_factory=list)  # no deal with terms governs them
    late_lines: list[int] = field(default_factory=list)  # of earlier periods (issued, or never run): on these statements
    stale_rates: list[str] = field(default_factory=list)  # "THB/USD of 2024-12-31": older than the period
    imported: dict[str, Decimal] = field(default_factory=dict)  # gross of the period's lines, by currency
    allocated: dict[str, Decimal] = field(default_factory=dict)  # of which on these statements
    left_out: dict[str, Decimal] = field(default_factory=dict)  # of which on none of them (listed by reconcile)


def _quiet(stage: str, percent: int) -> None:
    pass


def run(session: Session, label: str, *, user: str, deal_ids: set[int] | None = None,
        report: Callable[[str, int], None] = _quiet) -> RunResult:
    """Draft statements for every deal (or those of `deal_ids`) whose statement period is
    `label`; earlier drafts of the same period are replaced, issued statements stay as they
    are, and the same deals' later drafts are redrafted in period order.

    Everything is read and computed before the first write (at a month-end, but for the share
    of the deals a second process drafts meanwhile): run it through
    `Database.compute_then_write` and on SQLite other desks save while it computes. Two
    accountants running at once take turns (on SQLite the second's first write finds the
    first's drafts and computes again; on PostgreSQL an advisory lock): the second run redrafts
    on the first's drafts instead of colliding with them on the draft's unique key.
    `report(stage, percent)` hears how far it is (a window's progress bar); what it raises
    (the user cancelling) ends the run, and the unit of work rolls back."""
    take_turns(session, "statement_run")
    with no_cycle_collection():
        return _run(session, label, user=user, deal_ids=deal_ids, report=report)


@contextlib.contextmanager
def _roomy_cache(session: Session) -> Iterator[None]:
    """SQLite's page cache at 64 MB for the run's writes (2 MB by default): a month-end writes a
    million rows into two b-trees, and with the default cache most of those writes miss it. Not
    while reading: the period's GROUP BY would fill it, and its sorter takes as much again."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _run(session: Session, label: str, *, user: str, deal_ids: set[int] | None,
         report: Callable[[str, int], None] = _quiet) -> RunResult:
    report("Reading the deals due", 2)
    start, end = parse_label(label)
    result = RunResult(label)
    # Other connections read what this session reads (query_beside, the second process below):
    # its snapshot is taken before it writes anything, even a temporary table, as on PostgreSQL
    # any write makes the session's snapshot its own.
    snapshot = snapshot_of(session)
    lines = Parked(session, LINES, LINE_TYPES)  # half a million at a month-end: not in memory
    with contextlib.ExitStack() as beside:
        # A month-end's deals are summed and drafted by two processes, one on each core: a
        # second one takes a share of them (whole groups of deals that share no title with the
        # rest), this one the rest; this one writes them all. The second takes a second to start
        # (an interpreter and its imports): it starts now, and learns its share once this one
        # has read the deals due.
        other = None
        if snapshot and deal_ids is None and _month_end(session, start, end):
            handle, name = tempfile.mkstemp(prefix="rightsdesk-drafted-", suffix=".db")
            os.close(handle)  # (the other process writes it)
            scratch = Path(name)
            # (once its rows are taken, the park deletes it: Parked.take)
            beside.callback(lambda: lines.taken or scratch.unlink(missing_ok=True))
            other = beside.enter_context(processes.beside(_draft_beside))
        terms_by_deal = _terms_by_deal(session)
        due = {deal_id: t for deal_id, t in terms_by_deal.items()
               if period_of(t.frequency, end)[1:] == (start, end) and (deal_ids is None or deal_id in deal_ids)}
        minor = reference.minor_units(session)
        closed = _closed_deals(session, list(due), start)
        for deal_id in sorted(closed):
            # A later statement is issued: this period's revenue went (or goes) on the deal's next
            # statement not issued, and a draft here would pay it twice.
            result.closed.append(f"{closed[deal_id][0]} ({closed[deal_id][1]} is issued)")
        due = {deal_id: t for deal_id, t in due.items() if deal_id not in closed}
        existing = {deal_id: (statement_id, status, number) for deal_id, statement_id, status, number in session.execute(
            select(Statement.deal_id, Statement.id, Statement.status, Statement.number).where(
                Statement.deal_id.in_(list(due)), Statement.period_start == start))}
        drafting = {}
        for deal_id, terms in sorted(due.items()):
            if deal_id in existing and existing[deal_id][1] is StatementStatus.ISSUED:
                result.skipped_issued.append(existing[deal_id][2] or str(existing[deal_id][0]))
            else:
                drafting[deal_id] = terms
        # Everything is read and computed before the first write, so that on SQLite the write lock
        # (which other desks' saves wait for) is held only while writing: see compute_then_write
        # (the second process of a month-end reads on the same snapshot, whatever is written here).
        # Nothing computed here reads the period's own drafts, which are replaced below: revenue,
        # expenses and corrections count only what issued statements hold, and opening balances
        # come from earlier periods.
        report("Summing the period's revenue", 8)
        drafted_to = statement_receipts.earlier_drafts_end(session, list(drafting), start)
        references = dict(session.execute(select(Deal.id, Deal.reference).where(Deal.id.in_(list(drafting)))).all())
        statement_of: dict[int, int] = {}
        write = functools.partial(_write_drafts, session, lines, statement_of, label, user, references, existing)
        share = _share_beside(session, terms_by_deal, drafting) if other else None
        if other and share:
            theirs_drafting = [d for d in drafting if d in share]
            ids_ahead = _statement_ids_ahead(session, theirs_drafting)
            other.send(_DraftingBeside(snapshot, label, share, theirs_drafting, scratch, ids_ahead))
            own = {deal_id: terms for deal_id, terms in drafting.items() if deal_id not in share}
        else:
            share, own = None, drafting  # (a second process started is killed as the block ends)
        revenue = statement_receipts.gather(
            session, terms_by_deal, drafting, drafted_to, start, end, result, minor,
            share=statement_receipts.Share(share, beside=False, hand_over=other.send) if other and share else None,
            snapshot=snapshot)
        context = _Context(session, list(own), start, end, statement_receipts.Quotes(session), drafted_to)
        drafts = _draft(session, context, own, revenue, label, minor, lines, report)
        if other and share:
            # This process's drafts are written while the other finishes its own: the write
            # lock is taken that much earlier (a second or two at a month-end), the run ends
            # that much sooner.
            report("Writing the drafts, while the other core drafts the rest", 76)
            write(drafts, roomy=False)  # (the run's memory is at its peak, both processes together)
            theirs = other.result()
            revenue.merge(theirs.revenue)
            for draft in theirs.drafts:  # (its corrections by id: an object is this session's)
                draft.pending = [session.get(StatementAdjustment, adjustment) for adjustment in draft.pending]
                if ids_ahead:  # (its lines name these)
                    draft.header["id"] = ids_ahead[draft.header["deal_id"]]
            lines.take(scratch)
            report("Writing the drafts the other core drafted", 80)
            write(theirs.drafts)
            drafts += theirs.drafts
        else:
            report("Writing the drafts", 78)
            write(drafts)
    revenue.figures(result)
    result.statements = [statement_of[deal_id] for deal_id in sorted(statement_of)]
    result.stale_rates += [f"{rate} for {references[draft.header['deal_id']]}"
                           for draft in sorted(drafts, key=lambda draft: draft.header["deal_id"]) for rate in draft.stale]

    report("Recording the revenue each statement holds", 88)
    # (import batches are rolled back only by revenue.rollback_batch, which takes turns too; the
    # statements are this run's own)
    with _roomy_cache(session), \
            keys_checked_at_once(session, StatementRevenue.__table__, StatementRevenue.statement_id.in_(result.statements),
                                 kept=[StatementRevenue.revenue_line_id, StatementRevenue.statement_id]), \
            keys_checked_at_once(session, StatementTitleRevenue.__table__,
                                 StatementTitleRevenue.statement_id.in_(result.statements),
                                 kept=[StatementTitleRevenue.batch_id, StatementTitleRevenue.statement_id]):
        statement_receipts.record_holdings(session, revenue, statement_of, start, end, result)
    later: dict[str, set[int]] = defaultdict(set)
    following: dict[int, tuple[date, str]] = {}
    for deal_id, period_start, period_label in session.execute(select(
            Statement.deal_id, Statement.period_start, Statement.period_label).where(
            Statement.deal_id.in_(list(drafting)), Statement.period_start > start,
            Statement.status == StatementStatus.DRAFT)):
        following[deal_id] = min(following.get(deal_id, (period_start, period_label)), (period_start, period_label))
    for deal_id, (_, period_label) in following.items():
        later[period_label].add(deal_id)
    session.flush()
    # The next draft stands on this one's closing balances (and may lose late lines this one
    # now holds); redrafting it redrafts the one after it, and so on down the chain.
    if later:
        report("Redrafting later drafts", 95)
    for later_label in sorted(later, key=lambda l: parse_label(l)[0]):
        again = _run(session, later_label, user=user, deal_ids=later[later_label])
        result.redrafted += again.statements + again.redrafted
    return result


DRAFTS_AT_ONCE = 250  # statements inserted together: the driver's batches stay a sensible size


def _write_drafts(session: Session, lines: Parked, statement_of: dict[int, int], label: str, user: str,
                  references: dict[int, str], existing: dict[int, Any], drafts: list[_Draft], *,
                  roomy: bool = True) -> None:
    """Drafts and their parked lines into the database, replacing their deals' earlier drafts
    of the period; `statement_of` takes their ids by deal. `roomy`: with a page cache of 64 MB
    (_roomy_cache)."""
    written: dict[int, int] = {}
    with _roomy_cache(session) if roomy else contextlib.nullcontext():
        _delete_drafts(session, [existing[d][0] for d in (draft.header["deal_id"] for draft in drafts) if d in existing])
        for first in range(0, len(drafts), DRAFTS_AT_ONCE):
            _write(session, drafts[first:first + DRAFTS_AT_ONCE], written, label, user, references, existing)
        # (on PostgreSQL a key trigger per row and key was most of the run: keys_checked_at_once.
        # Revenue lines are deleted only by revenue.rollback_batch, which takes turns with runs;
        # the statements were written just above.)
        with keys_checked_at_once(session, StatementLine.__table__,
                                  StatementLine.statement_id.in_(list(written.values())),
                                  kept=[StatementLine.revenue_line_id, StatementLine.statement_id]):
            lines.move("statement_line", "statement_id", written)
    statement_of.update(written)
LINES = "run_statement_line"  # where drafted lines wait (persistence.bulk.Parked)
# A second process drafts a share of the deals from this many lines in the period: it takes a
# second or two to start, and a month-end's summing and drafting are ten seconds of Python on
# one core.
BESIDE_FROM = 200_000
# Its share of the deals' titles, by database: more than half, as this process also splits the
# libraries' lines and writes every draft after. On SQLite, with 0.7 it waited for the other on
# the 1M-line quarter; with 0.6 neither waits. On PostgreSQL the server does the writing, and
# it can start on this process's drafts sooner: 0.6 took 10.4-11.3 s, 0.7 10.1-10.7 s, 0.8
# 11.0-11.9 s in turns.
BESIDE_SHARE = {"sqlite": 0.6, "postgresql": 0.7}


def _terms_by_deal(session: Session, deal_ids: frozenset[int] | None = None) -> dict[int, RoyaltyTerms]:
    """The royalty terms of every signed IN deal (of those of `deal_ids`), by deal."""
    terms = (select(RoyaltyTerms).join(Deal).where(Deal.status == DealStatus.SIGNED, Deal.direction == DealDirection.IN)
             .options(selectinload(RoyaltyTerms.fee_rates), selectinload(RoyaltyTerms.share_tiers),
                      selectinload(RoyaltyTerms.mg_payments)))
    if deal_ids is None:
        return {t.deal_id: t for t in session.scalars(terms)}
    return {t.deal_id: t for chunk in chunks(sorted(deal_ids)) for t in session.scalars(
        terms.where(RoyaltyTerms.deal_id.in_(chunk)))}


def _draft(session: Session, context: _Context, drafting: dict[int, RoyaltyTerms],
           revenue: statement_receipts.Revenue, label: str, minor: dict[str, int], lines: Parking,
           report: Callable[[str, int], None] = _quiet) -> list[_Draft]:
    """Each deal's draft (`_statement`), its lines parked."""
    drafts = []
    for done, (deal_id, terms) in enumerate(drafting.items()):
        if done % 50 == 0:
            report(f"Drafting statement {done + 1:,} of {len(drafting):,}", 35 + 40 * done // max(len(drafting), 1))
        draft = _statement(session, context, terms, label, revenue.groups.pop(deal_id, {}), minor.get(terms.currency, 2))
        lines.park(deal_id, draft.lines)
        draft.lines = []
        drafts.append(draft)
    return drafts


def _month_end(session: Session, start: date, end: date) -> bool:
    """Whether the period [start, end] has BESIDE_FROM lines or more (counted up to that)."""
    some = select(RevenueLine.id).where(RevenueLine.period_end.between(start, end)).limit(BESIDE_FROM).subquery()
    return session.scalar(select(func.count()).select_from(some)) >= BESIDE_FROM


def _share_beside(session: Session, terms_by_deal: dict[int, RoyaltyTerms],
                  drafting: dict[int, RoyaltyTerms]) -> frozenset[int] | None:
    """The deals a second process drafts: about BESIDE_SHARE (the database's) of the deals'
    titles, as whole groups of deals joined by the titles granted to them (directly or through
    a library), so that no title of the share is granted to a deal outside it. None when no
    such share holds a deal to draft and leaves one."""
    if len(drafting) < 2:
        return None
    joined: dict[int, int] = {}  # deals and titles (as -id) joined into groups: each to one of its group

    def top(node: int) -> int:
        while joined.setdefault(node, node) != node:
            joined[node] = node = joined[joined[node]]
        return node

    for deal_id, title_id in statement_receipts.granted_pairs(session, list(terms_by_deal)):
        joined[top(deal_id)] = top(-title_id)
    deals: dict[int, list[int]] = defaultdict(list)  # by group
    titles: dict[int, int] = defaultdict(int)  # how many, by group
    for node in list(joined):
        if node > 0:
            deals[top(node)].append(node)
        else:
            titles[top(node)] += 1
    share: set[int] = set()
    taken, most = 0, BESIDE_SHARE[session.get_bind().dialect.name] * sum(titles.values())
    for group in sorted(titles, key=titles.__getitem__, reverse=True):  # the biggest first
        if taken + titles[group] <= most:
            share.update(deals[group])
            taken += titles[group]
    if not any(d in share for d in drafting) or all(d in share for d in drafting):
        return None
    return frozenset(share)


@dataclass(frozen=True)
class _DraftingBeside:
    """What the second process drafts (_draft_beside): the run's snapshot and period, the share
    of the deals (statement_receipts.Share), those of them it drafts, the file it parks their
    lines in, and on PostgreSQL the ids their drafts will have."""

    snapshot: Snapshot
    label: str
    share: frozenset[int]
    drafting: list[int]
    scratch: Path
    statement_ids: dict[int, int] | None  # their drafts' ids by deal, on PostgreSQL (_statement_ids_ahead)


@dataclass
class _DraftedBeside:
    drafts: list[_Draft]  # their corrections by id, their lines in the scratch file
    revenue: statement_receipts.Revenue  # without its groups


def _statement_ids_ahead(session: Session, deal_ids: list[int]) -> dict[int, int] | None:
    """On PostgreSQL, ids for these deals' drafts, by deal, taken ahead from the statement
    table's sequence: the second process writes its drafts' lines with them, as the table takes
    them, and they go in with one COPY (Parked.take) instead of through a temporary table
    and an INSERT ... SELECT (0.4 s less at a month-end, where the run waits for it). A run
    that rolls back leaves a gap in the ids, as any does. None elsewhere."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    ids = session.scalars(text("SELECT nextval(pg_get_serial_sequence('statement', 'id')) "
                               "FROM generate_series(1, :count)"), {"count": len(deal_ids)})
    return dict(zip(sorted(deal_ids), ids, strict=True))


def _draft_beside(inbox: Callable[[], Any]) -> _DraftedBeside:
    """In the second process: sum and draft the share's deals as `_run` does the rest, on the
    same snapshot, their lines parked in the job's scratch file; `inbox()` gives the job
    (_DraftingBeside), then the share's groups of the libraries' lines
    (statement_receipts.Share.hand_over)."""
    job: _DraftingBeside = inbox()
    database = Database(job.snapshot.url)
    try:
        with reading(job.snapshot, database.engine) as connection, Session(bind=connection) as session, \
                no_cycle_collection():
            start, end = parse_label(job.label)
            # (only the share's deals govern its titles: no other deal was granted one)
            terms_by_deal = _terms_by_deal(session, job.share)
            drafting = {deal_id: terms_by_deal[deal_id] for deal_id in job.drafting}
            minor = reference.minor_units(session)
            drafted_to = statement_receipts.earlier_drafts_end(session, job.drafting, start)
            revenue = statement_receipts.gather(session, terms_by_deal, drafting, drafted_to, start, end,
                                                RunResult(job.label), minor,
                                                share=statement_receipts.Share(job.share, beside=True))
            for deal_id, groups in inbox().items():  # (none of their keys is one of a sum's: gather)
                revenue.groups[deal_id].update(groups)
            # (dates as SQLite's file stores them, whatever the database)
            context = _Context(session, job.drafting, start, end, statement_receipts.Quotes(session), drafted_to,
                               plain=iso_day)
            with Parked.in_file(job.scratch, LINES, LINE_TYPES, database=connection, ids=job.statement_ids) as lines:
                drafts = _draft(session, context, drafting, revenue, job.label, minor, lines)
            for draft in drafts:
                draft.pending = [adjustment.id for adjustment in draft.pending]
            revenue.groups.clear()
            return _DraftedBeside(drafts, revenue)
    finally:
        database.dispose()


def _write(session: Session, drafts: list[_Draft], statement_of: dict[int, int], label: str, user: str,
           references: dict[int, str], existing: dict[int, Any]) -> None:
    """Drafts into the database with Core inserts: the ORM would insert each statement, its
    balances and its audit entry one at a time to learn its id. Their lines wait parked (_run)."""
    if not drafts:
        return
    ids = list(session.execute(insert(Statement).returning(Statement.id, sort_by_parameter_order=True),
                               [d.header for d in drafts]).scalars())
    balances, expenses, audits = [], [], []
    for statement_id, draft in zip(ids, drafts, strict=True):
        deal_id = draft.header["deal_id"]
        statement_of[deal_id] = statement_id
        balances += [dict(b, statement_id=statement_id) for b in draft.balances]
        expenses += [dict(statement_id=statement_id, expense_id=e) for e in draft.expense_ids]
        for adjustment in draft.pending:
            adjustment.applied_statement_id = statement_id
        audits.append(dict(user_name=user, action=AuditAction.CREATE, entity="statement", entity_id=statement_id,
                           summary=f"{'redrafted' if deal_id in existing else 'drafted'} {label} for {references[deal_id]}",
                           before=None, after=audit.jsonable({
                               "period": label, "deal": references[deal_id], "currency": draft.header["currency"],
                               "gross_receipts": draft.header["gross_receipts"], "payable": draft.header["payable"],
                               "withholding": draft.header["withholding"]})))
    # (the balances into their table, not through the ORM, which leaves a None out of a row's
    # keys: a deal's balance (title_id None) beside its titles' made an executemany a statement)
    for target, rows in ((StatementBalance.__table__, balances), (StatementExpense, expenses), (AuditEntry, audits)):
        if rows:
            session.execute(insert(target), rows)


def _delete_drafts(session: Session, statement_ids: list[int]) -> None:
    """Drafts replaced by a re-run: the database deletes their lines, balances and holdings
    with them (ON DELETE CASCADE), and the session forgets them."""
    if not statement_ids:
        return
    session.flush()
    gone = set(statement_ids)
    for chunk in chunks(statement_ids):
        session.execute(delete(Statement).where(Statement.id.in_(chunk)), execution_options={"synchronize_session": False})
    for item in list(session.identity_map.values()):
        if (isinstance(item, Statement) and item.id in gone) or (
                isinstance(item, (StatementBalance, StatementExpense, StatementLine)) and item.statement_id in gone):
            session.expunge(item)
        elif isinstance(item, StatementAdjustment) and item.applied_statement_id in gone:
            session.expire(item, ["applied_statement_id"])


class _Context:
    """What every due deal's statement needs from the database, read once for all of them:
    opening balances, expenses, pending corrections, granted titles."""

    def __init__(self, session: Session, deal_ids: list[int], start: date, end: date,
                 quotes: statement_receipts.Quotes, drafted_to: dict[int, date],
                 plain: Callable[[date | None], Any] | None = None):
        self.start, self.end, self.quotes = start, end, quotes
        self.opening: dict[int, dict[int | None, Balances]] = defaultdict(dict)
        self.expenses: dict[int, list[tuple[int, date, Decimal, str]]] = defaultdict(list)
        self.pending: dict[int, list[StatementAdjustment]] = defaultdict(list)
        self.granted: dict[int, set[int]] = defaultdict(set)
        self.brought: dict[int, tuple[Decimal, str]] = {}  # carried by the deal's previous statement, and its period
        self.minimum_payout: dict[int, Decimal] = {}  # the participant's own, by party
        self.drafted_to = drafted_to
        self.plain = functools.lru_cache(maxsize=None)(plain or plain_day(session))  # a few days, asked per line
        on_issued = select(StatementExpense.expense_id).join(Statement).where(Statement.status == StatementStatus.ISSUED)
        settled = select(Statement.id).where(Statement.status == StatementStatus.ISSUED)
        for chunk in chunks(deal_ids):
            latest = (select(Statement.deal_id, func.max(Statement.period_start).label("period_start"))
                      .where(Statement.deal_id.in_(chunk), Statement.period_start < start)
                      .group_by(Statement.deal_id).subquery())
            for deal_id, b in session.execute(select(Statement.deal_id, StatementBalance).join(
                    StatementBalance, StatementBalance.statement_id == Statement.id).join(
                    latest, (latest.c.deal_id == Statement.deal_id) & (latest.c.period_start == Statement.period_start))):
                self.opening[deal_id][b.title_id] = Balances(
                    b.closing_mg_outstanding, b.closing_unrecouped_expenses, b.closing_expenses_recouped_to_date,
                    b.closing_cumulative_net, b.closing_deficit,
                    tuple(ReserveLayer(date.fromisoformat(day), Decimal(amount)) for day, amount in b.closing_reserve_layers or []),
                    b.closing_mg_paid_to_date)
            for deal_id, carried, period_label in session.execute(
                    select(Statement.deal_id, Statement.carried_forward, Statement.period_label).join(
                        latest, (latest.c.deal_id == Statement.deal_id) & (latest.c.period_start == Statement.period_start))):
                if carried:
                    self.brought[deal_id] = (carried, period_label)
            for row in session.execute(select(Expense.deal_id, Expense.id, Expense.incurred_on, Expense.amount,
                                              Expense.currency).where(
                    Expense.deal_id.in_(chunk), Expense.recoupable, Expense.incurred_on <= end,
                    Expense.id.not_in(on_issued)).order_by(Expense.incurred_on, Expense.id)):
                self.expenses[row[0]].append(tuple(row[1:]))  # type: ignore[arg-type]
            for adjustment in session.scalars(
                    select(StatementAdjustment).join(Statement, Statement.id == StatementAdjustment.adjusts_statement_id)
                    .where(StatementAdjustment.deal_id.in_(chunk), Statement.period_start < start,
                           (StatementAdjustment.applied_statement_id.is_(None))
                           | StatementAdjustment.applied_statement_id.not_in(settled))
                    .options(selectinload(StatementAdjustment.adjusts_statement)).order_by(StatementAdjustment.id)):
                self.pending[adjustment.deal_id].append(adjustment)
            for deal_id, title_id in session.execute(select(Grant.deal_id, GrantTitle.title_id).join(Grant).where(
                    Grant.deal_id.in_(chunk))):
                self.granted[deal_id].add(title_id)
        self.minimum_payout = dict(session.execute(select(Party.id, Party.minimum_payout).join(
            RoyaltyTerms, RoyaltyTerms.participant_id == Party.id).where(
            RoyaltyTerms.deal_id.in_(deal_ids), Party.minimum_payout.is_not(None))).all()) if deal_ids else {}

    def expenses_taken(self, terms: RoyaltyTerms) -> tuple[Decimal, list[int]]:
        """The deal's recoupable expenses this statement takes, in the deal's currency at the rate
        of the period's last day, and their ids: those dated in the period, and those dated in an
        earlier period whose statement is issued (entered late), never one an issued statement
        took, nor one an earlier draft takes."""
        total, taken = Decimal(0), []
        for expense_id, incurred_on, amount, currency in self.expenses.get(terms.deal_id, []):
            if incurred_on < self.start and _earlier_draft_takes(incurred_on, terms.deal_id, self.drafted_to):
                continue
            total += self.quotes(currency, terms.currency, self.end).convert(amount)
            taken.append(expense_id)
        return total, taken


def _closed_deals(session: Session, deal_ids: list[int], start: date) -> dict[int, tuple[str, str]]:
    """Deals with an issued statement of a later period: (reference, that period) by deal."""
    found: dict[int, tuple[str, str]] = {}
    for deal_id, deal_reference, label in session.execute(
            select(Statement.deal_id, Deal.reference, Statement.period_label).join(Deal, Deal.id == Statement.deal_id)
            .where(Statement.deal_id.in_(deal_ids), Statement.period_start > start,
                   Statement.status == StatementStatus.ISSUED).order_by(Statement.period_start)):
        found.setdefault(deal_id, (deal_reference, label))
    return found


def _terms(terms: RoyaltyTerms, minor_units: int, *, cap_here: bool) -> Terms:
    return Terms(
        terms.currency, minor_units, terms.default_fee_percent,
        tuple(Tier(t.from_cumulative_net, t.percent) for t in terms.share_tiers) or (Tier(Decimal(0), Decimal(0)),),
        tuple(FeeRule(r.percent, r.media_code, r.territory_code) for r in terms.fee_rates),
        terms.expense_cap if cap_here else None, terms.withholding_percent, terms.reserve_percent, terms.reserve_periods,
    )


def _earlier_draft_takes(day: date, deal_id: int, drafted_to: dict[int, date]) -> bool:
    """Whether revenue or an expense dated `day`, before this statement's period, belongs to an
    earlier draft of the deal: the draft whose period holds it, or the first draft after it."""
    return deal_id in drafted_to and day <= drafted_to[deal_id]


def _mg_payments(terms: RoyaltyTerms, pools: list[int | None], end: date, minor_units: int,
                 opening: dict[int | None, Balances]) -> dict[int | None, list[MgPayment]]:
    """The MG payments each pool counts from this period: paid on or before its last day and
    not counted before (a payment entered late counts now). A payment for the whole deal is
    shared equally by titles that stand alone; a title's payment is that title's alone."""
    schedule: dict[int | None, list[MgPayment]] = defaultdict(list)
    for payment in terms.mg_payments:
        if payment.paid_on > end:
            continue
        if None in pools:  # cross-collateralized: one pool takes every payment
            schedule[None].append(MgPayment(payment.amount, payment.paid_on))
        elif payment.title_id is not None:
            schedule[payment.title_id].append(MgPayment(payment.amount, payment.paid_on))
        else:
            for title_id, part in royalties.split_mg(payment.amount, [p for p in pools if p is not None],
                                                     minor_units).items():
                schedule[title_id].append(MgPayment(part, payment.paid_on))
    new: dict[int | None, list[MgPayment]] = {}
    for pool, payments in schedule.items():
        counted = opening.get(pool, Balances()).mg_paid_to_date
        running = Decimal(0)
        for payment in payments:  # in date order: the earliest were counted first
            uncounted = min(payment.amount, running + payment.amount - counted)
            running += payment.amount
            if uncounted > 0:
                new.setdefault(pool, []).append(MgPayment(uncounted, payment.paid_on))
    return new


@dataclass
class _Draft:
    """A deal's statement for the period before it is written: the statement's columns, its
    balances, the expenses it takes, its lines (plain values, without the statement's id), the
    corrections it carries and the stale rates it used."""

    header: dict[str, Any]
    balances: list[dict[str, Any]]
    expense_ids: list[int]
    lines: list[tuple[Any, ...]]
    pending: list[StatementAdjustment]  # (their ids, on their way from another process: _DraftedBeside)
    stale: list[str]


def _statement(session: Session, context: _Context, terms: RoyaltyTerms, label: str,
               groups: dict[statement_receipts.GroupKey, statement_receipts.Group], minor_units: int) -> _Draft:
    """A deal's draft for the period: its waterfall(s), balances, totals and lines."""
    start, end = context.start, context.end
    opening = context.opening.get(terms.deal_id, {})
    incurred, expense_ids = context.expenses_taken(terms)
    expenses = round_to_minor_unit(incurred, minor_units)
    # Each group is one gross receipts line, converted and rounded once (in millionths).
    receipts: list[tuple[statement_receipts.GroupKey, statement_receipts.Group, int, tuple[Any, ...]]] = []
    by_line_period = terms.fx_date_rule is FxDateRule.LINE_PERIOD_END
    # by (currency, day): the quote, and its rate and day as a statement line stores them
    rates: dict[tuple[str, date], tuple[fx.Quote, int | None, Any]] = {}
    step = 10 ** (6 - minor_units) if minor_units <= 6 else 0
    for key, group in sorted(groups.items(), key=_line_order):
        day = key[7] if by_line_period else end
        rate = rates.get((key[8], day))
        if rate is None:
            quote = statement_receipts.quote_for(session, context.quotes, terms, group, key[8], day)
            rate = rates[(key[8], day)] = (quote, _stored_rate(quote.rate) if quote.rate_date else None,
                                           context.plain(quote.rate_date))
        quote = rate[0]
        if quote.rate_date is None and step:  # the same currency: rounded half-up in whole numbers
            units = (abs(group.amount) + step // 2) // step * step
            receipts.append((key, group, units if group.amount >= 0 else -units, rate))
        else:
            receipts.append((key, group, int(round_to_minor_unit(
                quote.convert(Decimal(group.amount).scaleb(-6)), minor_units).scaleb(6)), rate))
    stale = sorted({quote.describe() for quote, _, _ in rates.values() if quote.rate_date and quote.rate_date < start})
    if terms.cross_collateralized:
        pools: dict[int | None, list[tuple[Any, ...]]] = {None: receipts}
    else:
        # Titles that stand alone: each of the deal's titles has its own waterfall and MG.
        by_title: dict[int | None, list[tuple[Any, ...]]] = defaultdict(list)
        for receipt in receipts:
            by_title[receipt[0][0]].append(receipt)
        titles = sorted(context.granted.get(terms.deal_id, set()) | {t for t in by_title if t is not None}
                        | {t for t in opening if t is not None} | {p.title_id for p in terms.mg_payments if p.title_id})
        pools = {t: by_title.get(t, []) for t in titles}
    # The expense cap is the deal's over its life, all titles together, unless it is per title:
    # then each pool admits its own part under its own cap.
    per_pool_cap = len(pools) == 1 or terms.expense_cap_per_title
    admitted, deal_borne = (expenses, Decimal(0)) if per_pool_cap else royalties.admit_expenses(
        terms.expense_cap, sum((opening.get(p, Balances()).expenses_admitted_to_date for p in pools), Decimal(0)), expenses)
    equally = dict.fromkeys(pools, Decimal(1))
    shares = royalties.allocate(admitted, equally, minor_units) if admitted else {}
    borne = royalties.allocate(deal_borne, equally, minor_units) if deal_borne else {}
    mg_paid = _mg_payments(terms, list(pools), end, minor_units, opening)
    waterfall_terms = _terms(terms, minor_units, cap_here=per_pool_cap)
    release_from = start + relativedelta(months=MONTHS[terms.frequency] * terms.reserve_periods)
    # Corrections of issued statements ride on the deal's first waterfall (the only one when
    # cross-collateralized); they are settled when this statement is issued.
    pending = context.pending.get(terms.deal_id, [])
    position = 0
    rows: list[tuple[Any, ...]] = []  # the statement's lines, inserted together once it has an id
    balances: list[dict[str, Any]] = []
    totals: dict[StatementLineKind, Decimal] = defaultdict(Decimal)
    plain = context.plain
    for number, (title_id, pool) in enumerate(pools.items()):
        corrections = [(a.amount, f"Adjustment to statement {a.adjusts_statement.number}: {a.reason}") for a in pending] if number == 0 else []
        # The waterfall sees the pool's gross receipts summed by what its fee depends on (media,
        # territory): the lines are rounded already, so its gross and fee are those of the lines.
        by_fee: dict[tuple[str | None, str | None], int] = defaultdict(int)
        for key, group, amount, rate in pool:
            by_fee[(key[3], key[4])] += amount
            position += 1
            rows.append(_receipt_row(position, key, group, amount, rate, plain))
        totals[StatementLineKind.GROSS_RECEIPTS] += Decimal(sum(by_fee.values())).scaleb(-6)
        waterfall = royalties.run_period(
            waterfall_terms, opening.get(title_id, Balances()),
            [Receipt(Decimal(amount).scaleb(-6), None, media, territory) for (media, territory), amount in by_fee.items()],
            shares.get(title_id, Decimal(0)), corrections, mg_paid=mg_paid.get(title_id, ()),
            expenses_borne=borne.get(title_id, Decimal(0)), period_start=start, reserve_release_from=release_from)
        for line in waterfall.lines:
            if line.kind is StatementLineKind.GROSS_RECEIPTS:
                continue  # the pool's receipts lines, written above
            position += 1
            totals[line.kind] += line.amount
            rows.append((position, line.kind.value, line.description, line.title_id or title_id, line.media,
                         line.territory, _scaled(line.amount, 6), None, None, None, None, None, None, None, None, None))
            # (the two dates last: fx_date and revenue_period_start, as the driver takes them)
        balances.append(_balance(title_id, waterfall.opening, waterfall.closing))
    brought, carried = _minimum_payout(context, terms, totals[StatementLineKind.PAID])
    if brought or carried:
        carry = []
        if brought:
            carry.append((StatementLineKind.BROUGHT_FORWARD, brought, f"Brought forward from {context.brought[terms.deal_id][1]}"))
        if carried:
            minimum = _minimum(context, terms).quantize(Decimal(1).scaleb(-minor_units))  # type: ignore[union-attr]
            carry.append((StatementLineKind.CARRIED_FORWARD, -carried,
                          f"Carried to the next statement: under the minimum payout of {minimum} {terms.currency}"))
        carry.append((StatementLineKind.TO_PAY, to_pay(totals[StatementLineKind.PAID], brought, carried), "To pay now"))
        for kind, amount, description in carry:
            position += 1
            totals[kind] += amount
            rows.append((position, kind.value, description, None, None, None, _scaled(amount, 6),
                         None, None, None, None, None, None, None, None, None))
    header: dict[str, Any] = dict(deal_id=terms.deal_id, participant_id=terms.participant_id, period_label=label,
                                  brought_forward=brought, carried_forward=carried,
                                  period_start=start, period_end=end, currency=terms.currency,
                                  status=StatementStatus.DRAFT, issued_by="", adjusts_statement_id=None,
                                  notes="\n".join(f"Exchange rate older than the period's start: {rate}" for rate in stale))
    for kind, attribute in ((StatementLineKind.GROSS_RECEIPTS, "gross_receipts"),
                            (StatementLineKind.DISTRIBUTION_FEE, "distribution_fee"),
                            (StatementLineKind.EXPENSES_RECOUPED, "expenses_recouped"),
                            (StatementLineKind.NET_RECEIPTS, "net_receipts"),
                            (StatementLineKind.PARTICIPANT_SHARE, "participant_share"),
                            (StatementLineKind.MG_RECOUPED, "mg_recouped"), (StatementLineKind.PAYABLE, "payable"),
                            (StatementLineKind.WITHHOLDING, "withholding"), (StatementLineKind.PAID, "paid")):
        header[attribute] = totals[kind]
    return _Draft(header, balances, expense_ids, rows, pending, stale)


def _minimum(context: _Context, terms: RoyaltyTerms) -> Decimal | None:
    """The minimum payout: the deal's own, else its participant's (issue 20)."""
    return terms.minimum_payout if terms.minimum_payout is not None else context.minimum_payout.get(terms.participant_id)


def _minimum_payout(context: _Context, terms: RoyaltyTerms, paid: Decimal) -> tuple[Decimal, Decimal]:
    """(brought forward, carried forward) in the terms' currency: what the deal's previous
    statement carried comes onto this one; if this one's payment with it is above zero but
    under the minimum payout, all of it is carried to the next statement instead of paid (a
    participant is not sent a transfer that costs more than it pays). Nothing is rounded:
    both are sums of rounded amounts."""
    brought = context.brought.get(terms.deal_id, (Decimal(0), ""))[0]
    minimum = _minimum(context, terms)
    due = paid + brought
    carried = due if minimum is not None and Decimal(0) < due < minimum else Decimal(0)
    return brought, carried


def _line_order(item: tuple[statement_receipts.GroupKey, statement_receipts.Group]) -> tuple[object, ...]:
    """Gross receipts lines by period, then title, library, media, territory, type, currency
    (then the period's own lines before late ones, by the day their period ends: an order that
    does not depend on which were summed first)."""
    title, library, _, media, territory, kind, period_start, period_end, currency, in_period = item[0]
    return period_start, title, library or 0, media or "", territory or "", kind, currency, not in_period, period_end


def _receipt_row(position: int, key: statement_receipts.GroupKey, group: statement_receipts.Group, amount: int,
                 rate: tuple[fx.Quote, int | None, Any], plain: Any) -> tuple[Any, ...]:
    """A gross receipts line's plain values (LINE_TYPES); `rate`: its quote, rate and day as stored."""
    title_id, library_id, basis, media, territory, kind, period_start, _, currency, in_period = key
    return (position, GROSS, _describe(kind, period_start, territory, in_period), title_id, media, territory, amount,
            group.first_line if group.lines == 1 else None, None, library_id,
            None if basis is None else _scaled(basis, 4), group.amount, currency, rate[1], rate[2], plain(period_start))


@functools.lru_cache(maxsize=4096)
def _describe(kind: str, period_start: date, territory: str | None, in_period: bool) -> str:
    """'unlocks 2026-09 (TH)': the type, the month and the territory of a gross receipts line."""
    return f"{kind.replace('_', ' ')} {period_start:%Y-%m}" + (f" ({territory})" if territory else "") + (
        "" if in_period else " (earlier period)")


GROSS = StatementLineKind.GROSS_RECEIPTS.value
# The order of a line's plain values (persistence.bulk.Parked) and their types; the two dates last.
LINE_TYPES = {"position": "INTEGER", "kind": "TEXT", "description": "TEXT", "title_id": "INTEGER",
              "media_code": "TEXT", "territory_code": "TEXT", "amount": "BIGINT",
              "revenue_line_id": "INTEGER", "expense_id": "INTEGER", "library_id": "INTEGER", "split_basis": "BIGINT",
              "source_amount": "BIGINT", "source_currency": "TEXT", "fx_rate": "BIGINT", "fx_date": "DATE",
              "revenue_period_start": "DATE"}


@functools.lru_cache(maxsize=4096)
def _stored_rate(rate: Decimal) -> int:
    """A rate as statement_line.fx_rate stores it: a few rates, on half a million lines."""
    return _scaled(rate, 10)


def _scaled(amount: Decimal, places: int) -> int:
    """An amount as the column stores it (persistence.base.ScaledDecimal), exact or refused."""
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {places} decimal places")
    return int(scaled)


def _balance(title_id: int | None, opened: Balances, closed: Balances) -> dict[str, Any]:
    return dict(
        title_id=title_id,
        # a roll-forward: opening + MG paid (counted) this period - recouped = closing
        opening_mg_outstanding=opened.mg_outstanding, closing_mg_outstanding=closed.mg_outstanding,
        opening_unrecouped_expenses=opened.unrecouped_expenses, closing_unrecouped_expenses=closed.unrecouped_expenses,
        opening_expenses_recouped_to_date=opened.expenses_admitted_to_date,
        closing_expenses_recouped_to_date=closed.expenses_admitted_to_date,
        opening_cumulative_net=opened.cumulative_net, closing_cumulative_net=closed.cumulative_net,
        opening_deficit=opened.deficit, closing_deficit=closed.deficit,
        opening_mg_paid_to_date=opened.mg_paid_to_date, closing_mg_paid_to_date=closed.mg_paid_to_date,
        opening_reserve=opened.reserve, closing_reserve=closed.reserve,
        closing_reserve_layers=[[layer.release_from.isoformat(), str(layer.amount)] for layer in closed.reserves],
    )
