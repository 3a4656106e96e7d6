"""Statement runs: every deal's waterfall for a period, from the revenue imported, with balances
carried from the previous statement; issuing locks a statement and records its content hash.

Which deal and which statement take a revenue line: rightsdesk.services.statement_revenue
(late revenue goes on the deal's next statement that is not issued). A line no statement
holds is listed with its reason, never dropped: `statement_revenue.reconcile`.

FX (the deal's documented rule): each line is converted to the deal's currency at the most
recent rate on or before the last day of the statement period (or, by the deal's rule, of the
line's own period), entered direct or inverse, as rightsdesk.services.fx finds it; a rate
older than the period's start is flagged on the run and on the statement.

Chaining: a run redrafts the deal's later drafts (their opening balances are the closing
balances before them as they now stand). Issuing, corrections and a statement's figures:
rightsdesk.services.issuing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain import royalties
from rightsdesk.domain.enums import (
    AuditAction,
    DealDirection,
    DealStatus,
    FxDateRule,
    LibrarySplitRule,
    StatementFrequency,
    StatementLineKind,
    StatementStatus,
)
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.money import round_to_minor_unit
from rightsdesk.domain.revenue import parse_period
from rightsdesk.domain.royalties import Balances, FeeRule, MgPayment, Receipt, ReserveLayer, Terms, Tier
from rightsdesk.persistence.models import (
    Deal,
    Episode,
    Expense,
    Grant,
    GrantTitle,
    RevenueLine,
    RoyaltyTerms,
    Statement,
    StatementAdjustment,
    StatementBalance,
    StatementExpense,
    StatementLine,
)
from rightsdesk.services import audit, fx, reference
from rightsdesk.services.avails import load_rights
from rightsdesk.services.statement_revenue import governing_deal, issued_parts, library_titles, open_lines

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
    text = label.strip()
    if text.isdigit() and len(text) == 4:
        return date(int(text), 1, 1), date(int(text), 12, 31)
    try:
        return parse_period(text)
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


def run(session: Session, label: str, *, user: str, deal_ids: set[int] | None = None) -> RunResult:
    """Draft statements for every deal (or those of `deal_ids`) whose statement period is
    `label`; earlier drafts of the same period are replaced, issued statements stay as they
    are, and the same deals' later drafts are redrafted in period order."""
    start, end = parse_label(label)
    result = RunResult(label)
    terms_by_deal = {t.deal_id: t for t in session.scalars(
        select(RoyaltyTerms).join(Deal).where(Deal.status == DealStatus.SIGNED, Deal.direction == DealDirection.IN)
        .options(selectinload(RoyaltyTerms.fee_rates), selectinload(RoyaltyTerms.share_tiers),
                 selectinload(RoyaltyTerms.mg_payments)))}
    due = {deal_id: t for deal_id, t in terms_by_deal.items()
           if period_of(t.frequency, end)[1:] == (start, end) and (deal_ids is None or deal_id in deal_ids)}
    minor = reference.minor_units(session)
    closed = _closed_deals(session, list(due), start)
    for deal_id in sorted(closed):
        # A later statement is issued: this period's revenue went (or goes) on the deal's next
        # statement not issued, and a draft here would pay it twice.
        result.closed.append(f"{closed[deal_id][0]} ({closed[deal_id][1]} is issued)")
    due = {deal_id: t for deal_id, t in due.items() if deal_id not in closed}
    receipts_by_deal = _receipts(session, open_lines(session, end, start), terms_by_deal, due, start, end, result, minor)

    later: dict[str, set[int]] = defaultdict(set)
    for deal_id, terms in sorted(due.items()):
        existing = session.scalar(select(Statement).where(Statement.deal_id == deal_id, Statement.period_start == start))
        if existing is not None and existing.status is StatementStatus.ISSUED:
            result.skipped_issued.append(existing.number or str(existing.id))
            continue
        if existing is not None:
            session.delete(existing)
            session.flush()
        receipts = receipts_by_deal.get(deal_id, [])
        stale = sorted({c.quote.describe() for c in receipts if c.quote.rate_date and c.quote.rate_date < start})
        statement = _statement(session, terms, label, start, end, receipts, minor.get(terms.currency, 2), stale)
        result.statements.append(statement.id)
        deal_reference = session.get(Deal, deal_id).reference  # type: ignore[union-attr]
        result.stale_rates += [f"{rate} for {deal_reference}" for rate in stale]
        audit.record(session, user=user, action=AuditAction.CREATE, entity="statement", entity_id=statement.id,
                     summary=f"{'redrafted' if existing is not None else 'drafted'} {label} for {deal_reference}",
                     before=None, after=audit.jsonable({
                         "period": label, "deal": deal_reference, "currency": statement.currency,
                         "gross_receipts": statement.gross_receipts, "payable": statement.payable,
                         "withholding": statement.withholding}))
        following = session.scalar(select(Statement.period_label).where(
            Statement.deal_id == deal_id, Statement.period_start > start, Statement.status == StatementStatus.DRAFT)
            .order_by(Statement.period_start).limit(1))
        if following is not None:
            later[following].add(deal_id)
    session.flush()
    # The next draft stands on this one's closing balances (and may lose late lines this one
    # now holds); redrafting it redrafts the one after it, and so on down the chain.
    for later_label in sorted(later, key=lambda l: parse_label(l)[0]):
        again = run(session, later_label, user=user, deal_ids=later[later_label])
        result.redrafted += again.statements + again.redrafted
    return result


def _closed_deals(session: Session, deal_ids: list[int], start: date) -> dict[int, tuple[str, str]]:
    """Deals with an issued statement of a later period: (reference, that period) by deal."""
    found: dict[int, tuple[str, str]] = {}
    for deal_id, deal_reference, label in session.execute(
            select(Statement.deal_id, Deal.reference, Statement.period_label).join(Deal, Deal.id == Statement.deal_id)
            .where(Statement.deal_id.in_(deal_ids), Statement.period_start > start,
                   Statement.status == StatementStatus.ISSUED).order_by(Statement.period_start)):
        found.setdefault(deal_id, (deal_reference, label))
    return found


@dataclass(frozen=True)
class _Converted:
    receipt: Receipt
    line: RevenueLine
    source_amount: Decimal
    quote: fx.Quote
    library_id: int | None = None
    split_basis: Decimal | None = None


def _receipts(session: Session, lines: list[RevenueLine], terms_by_deal: dict[int, RoyaltyTerms],
              due: dict[int, RoyaltyTerms], start: date, end: date, result: RunResult,
              minor: dict[str, int]) -> dict[int, list[_Converted]]:
    """The revenue each due deal's statement of [start, end] takes: the period's lines and late
    lines of its issued periods, split (libraries) and converted, by deal."""
    groups = reference.territory_groups(session)
    members_by_day = {day: library_titles(session, {l.library_id for l in lines if l.period_end == day}, day)
                      for day in {l.period_end for l in lines if l.library_id}}
    title_ids = {l.title_id for l in lines if l.title_id} | {
        t for found in members_by_day.values() for ts in found.values() for t in ts}
    rights = load_rights(session, title_ids, groups) if title_ids else {}
    issued = issued_parts(session, [l.id for l in lines])
    drafted_to = _earlier_drafts_end(session, list(due), start)
    quotes: dict[tuple[str, str, date], fx.Quote] = {}
    by_deal: dict[int, list[_Converted]] = defaultdict(list)
    allocated: dict[str, Decimal] = defaultdict(Decimal)
    late: set[int] = set()
    for line in lines:
        in_period = line.period_end >= start
        if in_period:
            result.imported[line.currency] = result.imported.get(line.currency, Decimal(0)) + line.gross_amount
        if line.title_id is None and line.library_id is None:
            if in_period:
                result.unmatched_lines.append(line.id)
            continue
        if line.title_id is not None:
            parts = {line.title_id: (line.gross_amount, None, None)}
        else:
            members = members_by_day.get(line.period_end, {}).get(line.library_id, [])  # type: ignore[arg-type]
            weights = _weights(session, members, _split_rule(terms_by_deal, members, rights), line)
            split = royalties.allocate(line.gross_amount, weights, minor.get(line.currency, 2))
            parts = {title: (amount, line.library_id, weights[title]) for title, amount in split.items()}
        governed_any = False
        for title_id, (amount, library_id, basis) in parts.items():
            deal_id = governing_deal(rights.get(title_id), line, terms_by_deal)
            if deal_id is None:
                continue
            governed_any = True
            if deal_id not in due:
                continue  # another deal's period
            if (line.id, deal_id) in issued or (not in_period and _earlier_draft_takes(line.period_end, deal_id, drafted_to)):
                continue  # on an issued statement already, or an earlier draft takes it
            terms = due[deal_id]
            day = line.period_end if terms.fx_date_rule is FxDateRule.LINE_PERIOD_END else end
            key = (line.currency, terms.currency, day)
            if key not in quotes:
                try:
                    quotes[key] = fx.quote(session, *key)
                except fx.MissingRate as missing:
                    deal = session.get(Deal, deal_id)
                    raise fx.MissingRate(f"{missing} (deal {deal.reference if deal else deal_id}: row {line.row_number} "
                                         f"of import batch {line.batch_id})") from missing
            quote = quotes[key]
            description = f"{line.revenue_type.value.replace('_', ' ')} {line.period_start:%Y-%m}" + (
                f" ({line.territory_code})" if line.territory_code else "") + ("" if in_period else " (earlier period)")
            by_deal[deal_id].append(_Converted(
                # A library line becomes one receipt per title: (line, title) tells the parts apart.
                Receipt(quote.convert(amount), title_id, line.media_code, line.territory_code, description, (line.id, title_id)),
                line, amount, quote, library_id, basis))
            if in_period:
                allocated[line.currency] += amount
            else:
                late.add(line.id)
        if not governed_any and in_period:
            result.ungoverned_lines.append(line.id)
    result.late_lines = sorted(late)
    result.allocated = dict(allocated)
    result.left_out = {c: a - allocated.get(c, Decimal(0)) for c, a in result.imported.items()}
    return by_deal


def _split_rule(terms_by_deal: dict[int, RoyaltyTerms], members: list[int], rights: dict) -> LibrarySplitRule:  # type: ignore[type-arg]
    """The rule of the deal that governs the library's titles (the first one found)."""
    for title_id in members:
        for coverage in rights.get(title_id).coverages if rights.get(title_id) else []:
            terms = terms_by_deal.get(coverage.grant.deal_id)
            if terms is not None:
                return terms.library_split_rule
    return LibrarySplitRule.RUNTIME


def _weights(session: Session, titles: list[int], rule: LibrarySplitRule, line: RevenueLine) -> dict[int, Decimal]:
    if not titles:
        return {}
    if rule is LibrarySplitRule.EQUAL:
        return dict.fromkeys(titles, Decimal(1))
    if rule is LibrarySplitRule.VIEWS:
        views = dict(session.execute(select(RevenueLine.title_id, func.sum(RevenueLine.units)).where(
            RevenueLine.title_id.in_(titles), RevenueLine.period_end == line.period_end).group_by(RevenueLine.title_id)).all())
        return {t: Decimal(views.get(t) or 0) for t in titles}
    measure = func.sum(Episode.runtime_seconds) if rule is LibrarySplitRule.RUNTIME else func.count(Episode.id)
    found = dict(session.execute(select(Episode.title_id, measure).where(Episode.title_id.in_(titles)).group_by(Episode.title_id)).all())
    return {t: Decimal(found.get(t) or 0) for t in titles}


def _opening(session: Session, deal_id: int, start: date) -> dict[int | None, Balances]:
    """The closing balances of the deal's statement before `start`, by pool (None: the whole
    deal); none for the deal's first statement."""
    previous = session.scalar(select(Statement).where(Statement.deal_id == deal_id, Statement.period_start < start)
                              .order_by(Statement.period_start.desc()).limit(1)
                              .options(selectinload(Statement.balances)))
    if previous is None:
        return {}
    return {b.title_id: Balances(
        b.closing_mg_outstanding, b.closing_unrecouped_expenses, b.closing_expenses_recouped_to_date,
        b.closing_cumulative_net, b.closing_deficit,
        tuple(ReserveLayer(date.fromisoformat(day), Decimal(amount)) for day, amount in b.closing_reserve_layers or []),
        b.closing_mg_paid_to_date) for b in previous.balances}


def _terms(terms: RoyaltyTerms, minor_units: int, *, cap_here: bool) -> Terms:
    return Terms(
        terms.currency, minor_units, terms.default_fee_percent,
        tuple(Tier(t.from_cumulative_net, t.percent) for t in terms.share_tiers) or (Tier(Decimal(0), Decimal(0)),),
        tuple(FeeRule(r.percent, r.media_code, r.territory_code) for r in terms.fee_rates),
        terms.expense_cap if cap_here else None, terms.withholding_percent, terms.reserve_percent, terms.reserve_periods,
    )


def _earlier_drafts_end(session: Session, deal_ids: list[int], start: date) -> dict[int, date]:
    """For each deal with drafts before `start`, the last day the latest of them covers."""
    return dict(session.execute(select(Statement.deal_id, func.max(Statement.period_end)).where(
        Statement.deal_id.in_(deal_ids), Statement.period_start < start, Statement.status == StatementStatus.DRAFT)
        .group_by(Statement.deal_id)).all())


def _earlier_draft_takes(day: date, deal_id: int, drafted_to: dict[int, date]) -> bool:
    """Whether revenue or an expense dated `day`, before this statement's period, belongs to an
    earlier draft of the deal: the draft whose period holds it, or the first draft after it."""
    return deal_id in drafted_to and day <= drafted_to[deal_id]


def _expenses(session: Session, terms: RoyaltyTerms, start: date, end: date) -> tuple[Decimal, list[int]]:
    """The deal's recoupable expenses this statement takes, in the deal's currency at the rate
    of the period's last day, and their ids: those dated in the period, and those dated in an
    earlier period whose statement is issued (entered late), never one an issued statement
    took, nor one an earlier draft takes."""
    on_issued = select(StatementExpense.expense_id).join(Statement).where(Statement.status == StatementStatus.ISSUED)
    drafted_to = _earlier_drafts_end(session, [terms.deal_id], start)
    total, taken = Decimal(0), []
    for expense in session.scalars(select(Expense).where(
            Expense.deal_id == terms.deal_id, Expense.recoupable, Expense.incurred_on <= end,
            Expense.id.not_in(on_issued)).order_by(Expense.incurred_on, Expense.id)):
        if expense.incurred_on < start and _earlier_draft_takes(expense.incurred_on, terms.deal_id, drafted_to):
            continue
        total += fx.quote(session, expense.currency, terms.currency, end).convert(expense.amount)
        taken.append(expense.id)
    return total, taken


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


def _statement(session: Session, terms: RoyaltyTerms, label: str, start: date, end: date,
               receipts: list[_Converted], minor_units: int, stale_rates: list[str]) -> Statement:
    statement = Statement(deal_id=terms.deal_id, participant_id=terms.participant_id, period_label=label,
                          period_start=start, period_end=end, currency=terms.currency)
    session.add(statement)
    opening = _opening(session, terms.deal_id, start)
    incurred, expense_ids = _expenses(session, terms, start, end)
    expenses = round_to_minor_unit(incurred, minor_units)
    statement.expenses = [StatementExpense(expense_id=i) for i in expense_ids]
    if terms.cross_collateralized:
        pools: dict[int | None, list[_Converted]] = {None: receipts}
    else:
        # Titles that stand alone: each of the deal's titles has its own waterfall and MG.
        granted = session.scalars(select(GrantTitle.title_id).join(Grant).where(Grant.deal_id == terms.deal_id))
        titles = sorted(set(granted) | {c.receipt.title_id for c in receipts if c.receipt.title_id is not None}
                        | {t for t in opening if t is not None} | {p.title_id for p in terms.mg_payments if p.title_id})
        pools = {t: [c for c in receipts if c.receipt.title_id == t] for t in titles}
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
    pending = _pending_adjustments(session, terms.deal_id, start)
    position = 0
    rows: list[dict[str, object]] = []  # the statement's lines, inserted together once it has an id
    totals: dict[StatementLineKind, Decimal] = defaultdict(Decimal)
    for number, (title_id, pool) in enumerate(pools.items()):
        corrections = [(a.amount, f"Adjustment to statement {a.adjusts_statement.number}: {a.reason}") for a in pending] if number == 0 else []
        waterfall = royalties.run_period(
            waterfall_terms, opening.get(title_id, Balances()), [c.receipt for c in pool], shares.get(title_id, Decimal(0)),
            corrections, mg_paid=mg_paid.get(title_id, ()), expenses_borne=borne.get(title_id, Decimal(0)),
            period_start=start, reserve_release_from=release_from)
        converted = {c.receipt.source: c for c in pool}
        for line in waterfall.lines:
            position += 1
            totals[line.kind] += line.amount
            origin = converted.get(line.source) if line.source is not None else None  # type: ignore[call-overload]
            rows.append(dict(
                position=position, kind=line.kind, description=line.description, title_id=line.title_id or title_id,
                media_code=line.media, territory_code=line.territory, amount=line.amount,
                revenue_line_id=origin.line.id if origin else None, expense_id=None,
                library_id=origin.library_id if origin else None, split_basis=origin.split_basis if origin else None,
                source_amount=origin.source_amount if origin else None,
                source_currency=origin.line.currency if origin else None,
                fx_rate=origin.quote.rate if origin and origin.quote.rate_date else None,
                fx_date=origin.quote.rate_date if origin else None,
            ))
        opened, closed = waterfall.opening, waterfall.closing
        statement.balances.append(StatementBalance(
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
        ))
    for kind, attribute in ((StatementLineKind.GROSS_RECEIPTS, "gross_receipts"),
                            (StatementLineKind.DISTRIBUTION_FEE, "distribution_fee"),
                            (StatementLineKind.EXPENSES_RECOUPED, "expenses_recouped"),
                            (StatementLineKind.NET_RECEIPTS, "net_receipts"),
                            (StatementLineKind.PARTICIPANT_SHARE, "participant_share"),
                            (StatementLineKind.MG_RECOUPED, "mg_recouped"), (StatementLineKind.PAYABLE, "payable"),
                            (StatementLineKind.WITHHOLDING, "withholding"), (StatementLineKind.PAID, "paid")):
        setattr(statement, attribute, totals[kind])
    statement.notes = "\n".join(f"Exchange rate older than the period's start: {rate}" for rate in stale_rates)
    session.flush()
    # Core executemany: a statement can hold a hundred thousand lines, and ORM objects for them
    # cost several times the insert itself.
    session.connection().execute(StatementLine.__table__.insert(), [dict(r, statement_id=statement.id) for r in rows])
    session.expire(statement, ["lines"])
    for adjustment in pending:
        adjustment.applied_statement_id = statement.id
    return statement


def _pending_adjustments(session: Session, deal_id: int, start: date) -> list[StatementAdjustment]:
    """Corrections of the deal's issued statements not yet carried by an issued statement."""
    settled = select(Statement.id).where(Statement.status == StatementStatus.ISSUED)
    return list(session.scalars(
        select(StatementAdjustment).join(Statement, Statement.id == StatementAdjustment.adjusts_statement_id)
        .where(StatementAdjustment.deal_id == deal_id, Statement.period_start < start,
               (StatementAdjustment.applied_statement_id.is_(None)) | StatementAdjustment.applied_statement_id.not_in(settled))
        .options(selectinload(StatementAdjustment.adjusts_statement)).order_by(StatementAdjustment.id)))
