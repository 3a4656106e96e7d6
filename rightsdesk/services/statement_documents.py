"""A statement as its documents need it: every figure, name and rate, as plain data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import StatementLineKind, StatementStatus
from rightsdesk.domain.errors import NotFound
from rightsdesk.persistence.models import (
    AppSetting,
    Deal,
    Party,
    RevenueLine,
    RoyaltyTerms,
    Statement,
    StatementBalance,
    StatementLine,
    Title,
)
from rightsdesk.services import reference
from rightsdesk.services.statements import FX_RULES

DEFAULT_COMPANY = "RightsDesk"
K = StatementLineKind
# The waterfall in the order it runs; (kind, label, shown even when no line has it).
SUMMARY = (
    (K.GROSS_RECEIPTS, "Gross receipts", True),
    (K.DISTRIBUTION_FEE, "Distribution fee", True),
    (K.EXPENSES_RECOUPED, "Recoupable expenses recouped", True),
    (K.EXPENSES_BORNE, "Expenses beyond the cap, borne by the sales house (not deducted)", False),
    (K.NET_RECEIPTS, "Net receipts", True),
    (K.PARTICIPANT_SHARE, "Participant share", True),
    (K.DEFICIT_RECOVERED, "Deficit of earlier periods recovered", False),
    (K.MG_PAID, "Minimum guarantee paid, counted from this period", False),
    (K.MG_RECOUPED, "Minimum guarantee recouped", True),
    (K.ADJUSTMENT, "Adjustments", False),
    (K.RESERVE_APPLIED, "Reserve applied to refunds", False),
    (K.DEFICIT_CARRIED, "Deficit carried forward", False),
    (K.RESERVE_HELD, "Reserve held against returns", False),
    (K.RESERVE_RELEASED, "Reserve released", False),
    (K.PAYABLE, "Payable", True),
    (K.WITHHOLDING, "Withholding tax", True),
    (K.PAID, "Paid", True),
    (K.BROUGHT_FORWARD, "Brought forward: earlier payables under the minimum payout", False),
    (K.CARRIED_FORWARD, "Carried to the next statement: under the minimum payout", False),
    (K.TO_PAY, "To pay now", False),
)


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str = ""
    logo: str = ""  # a path to an image file, or empty


@dataclass(frozen=True)
class DetailLine:
    kind: StatementLineKind
    description: str
    title: str
    media: str
    territory: str
    amount: Decimal
    # A receipt: the period it reports (late when before the statement's), and in another
    # currency, what the report said and the rate it was converted at.
    period: str = ""
    late: bool = False
    source_amount: Decimal | None = None
    source_currency: str = ""
    fx_rate: Decimal | None = None
    fx_date: date | None = None

    @property
    def conversion(self) -> str:
        """'400,000.00 THB at 0.025 of 2026-09-30', or '' for a line in the statement's currency."""
        if self.fx_rate is None or self.source_amount is None:
            return ""
        return f"{self.source_amount:,.2f} {self.source_currency} at {self.fx_rate.normalize():f} of {self.fx_date}"


@dataclass(frozen=True)
class FxUsed:
    source_currency: str
    rate: Decimal
    rate_date: date


@dataclass
class StatementDocument:
    statement_id: int
    number: str  # "" for a draft
    status: StatementStatus
    issued_on: date | None
    period: str
    period_start: date
    period_end: date
    currency: str
    minor_units: int
    letterhead: Letterhead
    participant: str
    participant_address: str
    participant_tax_residence: str
    deal_reference: str
    summary: list[tuple[str, Decimal]]
    balances: list[tuple[str, Decimal, Decimal]]  # what, opening, closing
    lines: list[DetailLine]
    fx: list[FxUsed] = field(default_factory=list)
    notes: str = ""
    fx_rule: str = ""  # how the deal's terms say lines are converted

    @property
    def is_draft(self) -> bool:
        return self.status is StatementStatus.DRAFT

    def total(self, kind: StatementLineKind) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind is kind), Decimal(0))


def letterhead(session: Session) -> Letterhead:
    settings = dict(session.execute(select(AppSetting.key, AppSetting.value).where(
        AppSetting.key.in_(["company.name", "company.address", "company.logo"]))).all())
    return Letterhead(str(settings.get("company.name") or DEFAULT_COMPANY), str(settings.get("company.address") or ""),
                      str(settings.get("company.logo") or ""))


def load_document(session: Session, statement_id: int) -> StatementDocument:
    """One statement as its documents need it (load_documents)."""
    return load_documents(session, [statement_id])[0]


def load_documents(session: Session, statement_ids: list[int]) -> list[StatementDocument]:
    """Statements as their documents need them, in the order of `statement_ids`, read together
    (a period's export reads thousands: one query a table for all of them, their lines as
    plain rows). Raises NotFound naming the first that no longer exists."""
    if not statement_ids:
        return []
    found = {s.id: s for s in session.scalars(select(Statement).where(Statement.id.in_(statement_ids)))}
    for statement_id in statement_ids:
        if statement_id not in found:
            raise NotFound(f"statement {statement_id} no longer exists")
    line = StatementLine
    lines_of: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(select(
            line.statement_id, line.kind, line.description, line.title_id, line.media_code, line.territory_code,
            line.amount, line.revenue_line_id, line.revenue_period_start, line.source_amount, line.source_currency,
            line.fx_rate, line.fx_date).where(line.statement_id.in_(statement_ids)).order_by(line.statement_id, line.position)):
        lines_of[row.statement_id].append(row)
    balances_of: dict[int, list[StatementBalance]] = defaultdict(list)
    for balance in session.scalars(select(StatementBalance).where(StatementBalance.statement_id.in_(statement_ids))
                                   .order_by(StatementBalance.id)):
        balances_of[balance.statement_id].append(balance)
    parties = {p.id: p for p in session.scalars(select(Party).where(Party.id.in_({s.participant_id for s in found.values()})))}
    deals = dict(session.execute(select(Deal.id, Deal.reference).where(Deal.id.in_({s.deal_id for s in found.values()}))).all())
    rules = dict(session.execute(select(RoyaltyTerms.deal_id, RoyaltyTerms.fx_date_rule).where(
        RoyaltyTerms.deal_id.in_(deals))).all())
    title_ids = {l.title_id for ls in lines_of.values() for l in ls if l.title_id} | {
        b.title_id for bs in balances_of.values() for b in bs if b.title_id}
    names = dict(session.execute(select(Title.id, Title.original_name).where(Title.id.in_(title_ids))).all()) if title_ids else {}
    # A line says the period of its revenue; lines written before it did name their revenue line.
    unnamed = {l.revenue_line_id for ls in lines_of.values() for l in ls if l.revenue_line_id and not l.revenue_period_start}
    periods = dict(session.execute(select(RevenueLine.id, RevenueLine.period_start).where(
        RevenueLine.id.in_(unnamed))).all()) if unnamed else {}
    minor, head = reference.minor_units(session), letterhead(session)
    documents = []
    for statement_id in statement_ids:
        statement, rows = found[statement_id], lines_of[statement_id]
        participant = parties.get(statement.participant_id)
        rule = rules.get(statement.deal_id)
        lines = _detail(statement, rows, names, periods)
        summary = [(label, sum((l.amount for l in lines if l.kind is kind), Decimal(0)))
                   for kind, label, always in SUMMARY if always or any(l.kind is kind for l in lines)]
        fx_used = sorted({FxUsed(l.source_currency, l.fx_rate, l.fx_date) for l in rows
                          if l.fx_rate is not None and l.source_currency and l.fx_date},
                         key=lambda f: (f.source_currency, f.rate_date))
        documents.append(StatementDocument(
            statement.id, statement.number or "", statement.status,
            statement.issued_on or (statement.issued_at.date() if statement.issued_at else None), statement.period_label,
            statement.period_start, statement.period_end, statement.currency, minor.get(statement.currency, 2), head,
            participant.name if participant else "", participant.address if participant else "",
            (participant.tax_residence or "") if participant else "", deals.get(statement.deal_id, ""), summary,
            _balances(balances_of[statement_id], names), lines, fx_used, statement.notes or "",
            f"Lines in other currencies are {FX_RULES[rule]}, entered direct or inverse." if rule else ""))
    return documents


def _detail(statement: Statement, rows: list[Any], names: dict[int, str], periods: dict[int, date]) -> list[DetailLine]:
    """A statement's lines (`rows`: plain rows of statement_line, in their order) as documents show them."""
    lines = []
    for l in rows:
        period = l.revenue_period_start or periods.get(l.revenue_line_id)
        lines.append(DetailLine(l.kind, l.description, names.get(l.title_id, ""), l.media_code or "",
                                l.territory_code or "", l.amount, f"{period:%Y-%m}" if period else "",
                                bool(period and period < statement.period_start),
                                l.source_amount if l.source_currency != statement.currency else None,
                                l.source_currency or "", l.fx_rate, l.fx_date))
    return lines


def _balances(found: list[StatementBalance], names: dict[int, str]) -> list[tuple[str, Decimal, Decimal]]:
    """What a statement carries between periods, opening and closing, as documents show it."""
    balances = []
    for balance in found:
        who = names.get(balance.title_id, "") + ": " if balance.title_id else ""  # type: ignore[arg-type]
        balances += [
            (f"{who}Minimum guarantee outstanding", balance.opening_mg_outstanding, balance.closing_mg_outstanding),
            (f"{who}Unrecouped expenses (carried)", balance.opening_unrecouped_expenses, balance.closing_unrecouped_expenses),
            (f"{who}Expenses admitted under the cap to date", balance.opening_expenses_recouped_to_date,
             balance.closing_expenses_recouped_to_date),
            (f"{who}Cumulative net receipts", balance.opening_cumulative_net, balance.closing_cumulative_net),
        ]
        if balance.opening_deficit or balance.closing_deficit:
            balances.append((f"{who}Deficit to repay before anything is payable", balance.opening_deficit,
                             balance.closing_deficit))
        if balance.opening_reserve or balance.closing_reserve:
            layers = "; ".join(f"{Decimal(amount):,.2f} released from {day}" for day, amount in balance.closing_reserve_layers or [])
            balances.append((f"{who}Reserve held" + (f" ({layers})" if layers else ""), balance.opening_reserve,
                             balance.closing_reserve))
    return balances
