"""Statement runs: every deal's waterfall for a period, from the revenue imported, with balances
carried from the previous statement; issuing locks a statement and records its content hash.

Which deal governs a revenue line: a signed IN deal with royalty terms whose grant covers the
line's title (directly or through a library) in the line's territory and media (when the report
gives them) on the last day of the line's period. When several do, the oldest deal. A line no
deal governs, and a line matched to no title, is listed in the run's result, never dropped.

FX: each line is converted to the deal's currency at the rate of the statement period's last
day (or, by the deal's rule, the line's own period end), as rightsdesk.services.fx finds it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain import royalties
from rightsdesk.domain.enums import (
    AuditAction,
    BatchStatus,
    DealDirection,
    DealStatus,
    FxDateRule,
    LibrarySplitRule,
    StatementFrequency,
    StatementLineKind,
    StatementStatus,
)
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.revenue import parse_period
from rightsdesk.domain.royalties import Balances, FeeRule, Receipt, Terms, Tier
from rightsdesk.persistence.models import (
    Deal,
    Episode,
    Expense,
    Grant,
    GrantTitle,
    ImportBatch,
    LibraryMember,
    RevenueLine,
    RoyaltyTerms,
    Statement,
    StatementAdjustment,
    StatementBalance,
    StatementLine,
)
from rightsdesk.services import audit, fx, reference
from rightsdesk.services.avails import load_rights

MONTHS = {StatementFrequency.MONTHLY: 1, StatementFrequency.QUARTERLY: 3, StatementFrequency.SEMI_ANNUAL: 6,
          StatementFrequency.ANNUAL: 12}


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
    unmatched_lines: list[int] = field(default_factory=list)  # no title or library
    ungoverned_lines: list[int] = field(default_factory=list)  # no deal's grant covers them
    imported: dict[str, Decimal] = field(default_factory=dict)  # gross in the period, by currency
    allocated: dict[str, Decimal] = field(default_factory=dict)  # of which on statements
    left_out: dict[str, Decimal] = field(default_factory=dict)  # of which unmatched or ungoverned


def run(session: Session, label: str, *, user: str) -> RunResult:
    """Draft statements for every deal whose statement period is `label`; earlier drafts of the
    same period are replaced, issued statements stay as they are."""
    start, end = parse_label(label)
    result = RunResult(label)
    terms_by_deal = {t.deal_id: t for t in session.scalars(
        select(RoyaltyTerms).join(Deal).where(Deal.status == DealStatus.SIGNED, Deal.direction == DealDirection.IN)
        .options(selectinload(RoyaltyTerms.fee_rates), selectinload(RoyaltyTerms.share_tiers)))}
    due = {deal_id: t for deal_id, t in terms_by_deal.items() if period_of(t.frequency, end)[1:] == (start, end)}
    lines = list(session.scalars(select(RevenueLine).join(ImportBatch).where(
        ImportBatch.status == BatchStatus.IMPORTED, RevenueLine.period_end >= start, RevenueLine.period_end <= end)))
    for line in lines:
        result.imported[line.currency] = result.imported.get(line.currency, Decimal(0)) + line.gross_amount
    minor = reference.minor_units(session)
    receipts_by_deal, governed_amounts = _receipts(session, lines, due, end, result, minor)
    for currency, amount in governed_amounts.items():
        result.allocated[currency] = amount
    for currency, amount in result.imported.items():
        result.left_out[currency] = amount - result.allocated.get(currency, Decimal(0))

    for deal_id, terms in sorted(due.items()):
        existing = session.scalar(select(Statement).where(Statement.deal_id == deal_id, Statement.period_start == start))
        if existing is not None and existing.status is StatementStatus.ISSUED:
            result.skipped_issued.append(existing.number or str(existing.id))
            continue
        if existing is not None:
            session.delete(existing)
            session.flush()
        statement_id = _statement(session, terms, label, start, end, receipts_by_deal.get(deal_id, []),
                                  minor.get(terms.currency, 2))
        result.statements.append(statement_id)
        statement = session.get(Statement, statement_id)
        assert statement is not None
        deal_reference = session.get(Deal, deal_id).reference  # type: ignore[union-attr]
        audit.record(session, user=user, action=AuditAction.CREATE, entity="statement", entity_id=statement.id,
                     summary=f"{'redrafted' if existing is not None else 'drafted'} {label} for {deal_reference}",
                     before=None, after=audit.jsonable({
                         "period": label, "deal": deal_reference, "currency": statement.currency,
                         "gross_receipts": statement.gross_receipts, "payable": statement.payable,
                         "withholding": statement.withholding}))
    session.flush()
    return result


@dataclass(frozen=True)
class _Converted:
    receipt: Receipt
    line: RevenueLine
    source_amount: Decimal
    quote: fx.Quote
    library_id: int | None = None
    split_basis: Decimal | None = None


def _receipts(session: Session, lines: list[RevenueLine], due: dict[int, RoyaltyTerms], end: date,
              result: RunResult, minor: dict[str, int]) -> tuple[dict[int, list[_Converted]], dict[str, Decimal]]:
    """Revenue lines of the period, split (libraries) and converted, by the deal that governs them."""
    groups = reference.territory_groups(session)
    library_titles = _library_titles(session, {l.library_id for l in lines if l.library_id}, end)
    title_ids = {l.title_id for l in lines if l.title_id} | {t for ts in library_titles.values() for t in ts}
    rights = load_rights(session, title_ids, groups) if title_ids else {}
    by_deal: dict[int, list[_Converted]] = defaultdict(list)
    allocated: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.title_id is None and line.library_id is None:
            result.unmatched_lines.append(line.id)
            continue
        if line.title_id is not None:
            parts = {line.title_id: (line.gross_amount, None, None)}
        else:
            members = library_titles.get(line.library_id, [])
            weights = _weights(session, members, _split_rule(due, members, rights), line)
            split = royalties.allocate(line.gross_amount, weights, minor.get(line.currency, 2))
            parts = {title: (amount, line.library_id, weights[title]) for title, amount in split.items()}
        governed_any = False
        for title_id, (amount, library_id, basis) in parts.items():
            deal_id = _governing_deal(rights.get(title_id), due, line)
            if deal_id is None:
                continue
            governed_any = True
            terms = due[deal_id]
            day = line.period_end if terms.fx_date_rule is FxDateRule.LINE_PERIOD_END else end
            quote = fx.quote(session, line.currency, terms.currency, day)
            description = f"{line.revenue_type.value.replace('_', ' ')} {line.period_start:%Y-%m}" + (
                f" ({line.territory_code})" if line.territory_code else "")
            by_deal[deal_id].append(_Converted(
                # A library line becomes one receipt per title: (line, title) tells the parts apart.
                Receipt(quote.convert(amount), title_id, line.media_code, line.territory_code, description, (line.id, title_id)),
                line, amount, quote, library_id, basis))
            allocated[line.currency] += amount
        if not governed_any:
            result.ungoverned_lines.append(line.id)
    return by_deal, allocated


def _library_titles(session: Session, library_ids: set[int | None], day: date) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    if not library_ids:
        return found
    for library_id, title_id in session.execute(select(LibraryMember.library_id, LibraryMember.title_id).where(
            LibraryMember.library_id.in_([i for i in library_ids if i]), LibraryMember.added_on <= day,
            (LibraryMember.removed_on.is_(None)) | (LibraryMember.removed_on >= day)).order_by(LibraryMember.title_id)):
        found[library_id].append(title_id)
    return found


def _split_rule(due: dict[int, RoyaltyTerms], members: list[int], rights: dict) -> LibrarySplitRule:  # type: ignore[type-arg]
    """The rule of the deal that governs the library's titles (the first one found)."""
    for title_id in members:
        for coverage in rights.get(title_id).coverages if rights.get(title_id) else []:
            terms = due.get(coverage.grant.deal_id)
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


def _governing_deal(title_rights, due: dict[int, RoyaltyTerms], line: RevenueLine) -> int | None:  # type: ignore[no-untyped-def]
    if title_rights is None:
        return None
    candidates = []
    for coverage in title_rights.coverages:
        grant = coverage.grant
        if grant.deal_id not in due or grant.direction is not DealDirection.IN:
            continue
        day = line.period_end
        if (grant.start and day < grant.start) or (grant.end and day > grant.end):
            continue
        if line.territory_code and line.territory_code not in grant.territories:
            continue
        if line.media_code and line.media_code not in grant.media:
            continue
        candidates.append(grant.deal_id)
    return min(candidates) if candidates else None


def _opening(session: Session, terms: RoyaltyTerms, start: date, end: date, title_id: int | None, mg: Decimal) -> Balances:
    """The previous statement's closing balances; for a first statement, the MG once it is paid."""
    previous = session.scalar(select(StatementBalance).join(Statement).where(
        Statement.deal_id == terms.deal_id, Statement.period_start < start, StatementBalance.title_id.is_(title_id)
        if title_id is None else StatementBalance.title_id == title_id).order_by(Statement.period_start.desc()).limit(1))
    if previous is None:
        paid = terms.mg_paid_on is None or terms.mg_paid_on <= end
        return Balances(mg_outstanding=mg if paid else Decimal(0))
    return Balances(previous.closing_mg_outstanding, previous.closing_unrecouped_expenses,
                    previous.closing_expenses_recouped_to_date, previous.closing_cumulative_net, previous.closing_deficit)


def _terms(terms: RoyaltyTerms, minor_units: int) -> Terms:
    return Terms(
        terms.currency, minor_units, terms.default_fee_percent,
        tuple(Tier(t.from_cumulative_net, t.percent) for t in terms.share_tiers) or (Tier(Decimal(0), Decimal(0)),),
        tuple(FeeRule(r.percent, r.media_code, r.territory_code) for r in terms.fee_rates),
        terms.expense_cap, terms.mg_amount, terms.withholding_percent,
    )


def _expenses(session: Session, terms: RoyaltyTerms, start: date, end: date) -> Decimal:
    total = Decimal(0)
    for expense in session.scalars(select(Expense).where(Expense.deal_id == terms.deal_id, Expense.recoupable,
                                                         Expense.incurred_on >= start, Expense.incurred_on <= end)):
        total += fx.quote(session, expense.currency, terms.currency, end).convert(expense.amount)
    return total


def _statement(session: Session, terms: RoyaltyTerms, label: str, start: date, end: date,
               receipts: list[_Converted], minor_units: int) -> int:
    waterfall_terms = _terms(terms, minor_units)
    statement = Statement(deal_id=terms.deal_id, participant_id=terms.participant_id, period_label=label,
                          period_start=start, period_end=end, currency=terms.currency)
    session.add(statement)
    expenses = _expenses(session, terms, start, end)
    if terms.cross_collateralized:
        pools = {None: receipts}
        mgs = {None: terms.mg_amount}
        expense_parts = {None: expenses}
    else:
        # Titles that stand alone: each of the deal's titles has its own waterfall and MG part.
        granted = session.scalars(select(GrantTitle.title_id).join(Grant).where(Grant.deal_id == terms.deal_id))
        titles = sorted(set(granted) | {c.receipt.title_id for c in receipts if c.receipt.title_id is not None})
        pools = {t: [c for c in receipts if c.receipt.title_id == t] for t in titles}
        mgs = royalties.split_mg(terms.mg_amount, titles, minor_units)
        expense_parts = royalties.allocate(expenses, dict.fromkeys(titles, Decimal(1)), minor_units) if titles else {}
    # Corrections of issued statements ride on the deal's first waterfall (the only one when
    # cross-collateralized); they are settled when this statement is issued.
    pending = _pending_adjustments(session, terms.deal_id, start)
    position = 0
    totals: dict[StatementLineKind, Decimal] = defaultdict(Decimal)
    for number, (title_id, pool) in enumerate(pools.items()):
        opening = _opening(session, terms, start, end, title_id, mgs.get(title_id, Decimal(0)))
        corrections = [(a.amount, f"Adjustment to statement {a.adjusts_statement.number}: {a.reason}") for a in pending] if number == 0 else []
        waterfall = royalties.run_period(waterfall_terms, opening, [c.receipt for c in pool],
                                         expense_parts.get(title_id, Decimal(0)), corrections)
        converted = {c.receipt.source: c for c in pool}
        for line in waterfall.lines:
            position += 1
            totals[line.kind] += line.amount
            origin = converted.get(line.source) if line.source is not None else None  # type: ignore[call-overload]
            statement.lines.append(StatementLine(
                position=position, kind=line.kind, description=line.description, title_id=line.title_id or title_id,
                media_code=line.media, territory_code=line.territory, amount=line.amount,
                revenue_line_id=origin.line.id if origin else None,
                library_id=origin.library_id if origin else None, split_basis=origin.split_basis if origin else None,
                source_amount=origin.source_amount if origin else None,
                source_currency=origin.line.currency if origin else None,
                fx_rate=origin.quote.rate if origin and origin.quote.rate_date else None,
                fx_date=origin.quote.rate_date if origin else None,
            ))
        statement.balances.append(StatementBalance(
            title_id=title_id,
            opening_mg_outstanding=waterfall.opening.mg_outstanding, closing_mg_outstanding=waterfall.closing.mg_outstanding,
            opening_unrecouped_expenses=waterfall.opening.unrecouped_expenses,
            closing_unrecouped_expenses=waterfall.closing.unrecouped_expenses,
            opening_expenses_recouped_to_date=waterfall.opening.expenses_admitted_to_date,
            closing_expenses_recouped_to_date=waterfall.closing.expenses_admitted_to_date,
            opening_cumulative_net=waterfall.opening.cumulative_net, closing_cumulative_net=waterfall.closing.cumulative_net,
            opening_deficit=waterfall.opening.deficit, closing_deficit=waterfall.closing.deficit,
        ))
    for kind, attribute in ((StatementLineKind.GROSS_RECEIPTS, "gross_receipts"),
                            (StatementLineKind.DISTRIBUTION_FEE, "distribution_fee"),
                            (StatementLineKind.EXPENSES_RECOUPED, "expenses_recouped"),
                            (StatementLineKind.NET_RECEIPTS, "net_receipts"),
                            (StatementLineKind.PARTICIPANT_SHARE, "participant_share"),
                            (StatementLineKind.MG_RECOUPED, "mg_recouped"), (StatementLineKind.PAYABLE, "payable"),
                            (StatementLineKind.WITHHOLDING, "withholding"), (StatementLineKind.PAID, "paid")):
        setattr(statement, attribute, totals[kind])
    session.flush()
    for adjustment in pending:
        adjustment.applied_statement_id = statement.id
    return statement.id


def _pending_adjustments(session: Session, deal_id: int, start: date) -> list[StatementAdjustment]:
    """Corrections of the deal's issued statements not yet carried by an issued statement."""
    settled = select(Statement.id).where(Statement.status == StatementStatus.ISSUED)
    return list(session.scalars(
        select(StatementAdjustment).join(Statement, Statement.id == StatementAdjustment.adjusts_statement_id)
        .where(StatementAdjustment.deal_id == deal_id, Statement.period_start < start,
               (StatementAdjustment.applied_statement_id.is_(None)) | StatementAdjustment.applied_statement_id.not_in(settled))
        .options(selectinload(StatementAdjustment.adjusts_statement)).order_by(StatementAdjustment.id)))


def adjust(session: Session, statement_id: int, amount: Decimal, reason: str, *, user: str) -> int:
    """Record a correction of an issued statement; the deal's next statement run carries it."""
    statement = session.get(Statement, statement_id)
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    if statement.status is not StatementStatus.ISSUED:
        raise UserError("a draft statement is corrected by running its period again, not by an adjustment")
    if amount == 0 or not reason.strip():
        raise UserError("an adjustment needs an amount other than zero and a reason")
    adjustment = StatementAdjustment(deal_id=statement.deal_id, adjusts_statement_id=statement.id, amount=amount,
                                     reason=reason.strip(), created_by=user)
    session.add(adjustment)
    session.flush()
    audit.record(session, user=user, action=AuditAction.CREATE, entity="statement_adjustment", entity_id=adjustment.id,
                 summary=f"adjusts {statement.number}", before=None,
                 after={"statement": statement.number, "amount": str(amount), "reason": reason.strip()})
    return adjustment.id


# -- issuing ------------------------------------------------------------------------------------


def content_of(statement: Statement) -> dict[str, object]:
    """What an issued statement says, canonically: the figures its hash protects."""
    return {
        "deal_id": statement.deal_id, "participant_id": statement.participant_id, "period": statement.period_label,
        "currency": statement.currency,
        "totals": {k: str(getattr(statement, k)) for k in ("gross_receipts", "distribution_fee", "expenses_recouped",
                                                          "net_receipts", "participant_share", "mg_recouped", "payable",
                                                          "withholding", "paid")},
        "lines": [[l.position, l.kind.value, l.description, l.title_id, l.media_code, l.territory_code, str(l.amount),
                   l.revenue_line_id, None if l.fx_rate is None else str(l.fx_rate)] for l in statement.lines],
        "balances": [[b.title_id, str(b.closing_mg_outstanding), str(b.closing_unrecouped_expenses),
                      str(b.closing_cumulative_net)] for b in statement.balances],
    }


def content_hash(statement: Statement) -> str:
    return hashlib.sha256(json.dumps(content_of(statement), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def issue(session: Session, statement_id: int, *, user: str) -> str:
    """Lock a draft: give it its number and record its content hash. Returns the number."""
    statement = session.get(Statement, statement_id, options=[selectinload(Statement.lines), selectinload(Statement.balances)])
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    if statement.status is StatementStatus.ISSUED:
        raise UserError(f"statement {statement.number} is already issued and cannot change")
    count = session.scalar(select(func.count(Statement.id)).where(Statement.status == StatementStatus.ISSUED)) or 0
    statement.number = f"ST-{statement.period_end.year}-{count + 1:06d}"
    statement.status = StatementStatus.ISSUED
    statement.issued_at, statement.issued_by = datetime.now(UTC), user
    statement.content_hash = content_hash(statement)
    audit.record(session, user=user, action=AuditAction.UPDATE, entity="statement", entity_id=statement.id,
                 summary=f"issued {statement.number}", before={"status": "draft"},
                 after={"status": "issued", "number": statement.number, "hash": statement.content_hash})
    session.flush()
    return statement.number


def verify(session: Session, statement_id: int) -> bool:
    """Whether an issued statement still says exactly what it said when issued."""
    statement = session.get(Statement, statement_id, options=[selectinload(Statement.lines), selectinload(Statement.balances)])
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    return statement.content_hash is not None and statement.content_hash == content_hash(statement)
