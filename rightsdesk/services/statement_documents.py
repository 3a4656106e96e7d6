"""A statement as its documents need it: every figure, name and rate, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain.enums import StatementLineKind, StatementStatus
from rightsdesk.domain.errors import NotFound
from rightsdesk.persistence.models import AppSetting, Deal, Party, RevenueLine, RoyaltyTerms, Statement, Title
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
    statement = session.get(Statement, statement_id, options=[selectinload(Statement.lines), selectinload(Statement.balances)])
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    participant = session.get(Party, statement.participant_id)
    deal = session.get(Deal, statement.deal_id)
    title_ids = {l.title_id for l in statement.lines if l.title_id} | {b.title_id for b in statement.balances if b.title_id}
    names = dict(session.execute(select(Title.id, Title.original_name).where(Title.id.in_(title_ids))).all()) if title_ids else {}
    # A line says the period of its revenue; lines written before it did name their revenue line.
    periods = dict(session.execute(select(RevenueLine.id, RevenueLine.period_start).where(RevenueLine.id.in_(
        {l.revenue_line_id for l in statement.lines if l.revenue_line_id and not l.revenue_period_start}))).all())
    period = {l.id: l.revenue_period_start or periods.get(l.revenue_line_id) for l in statement.lines}  # type: ignore[arg-type]
    lines = [DetailLine(l.kind, l.description, names.get(l.title_id, ""), l.media_code or "", l.territory_code or "",
                        l.amount, f"{period[l.id]:%Y-%m}" if period[l.id] else "",
                        bool(period[l.id] and period[l.id] < statement.period_start),
                        l.source_amount if l.source_currency != statement.currency else None,
                        l.source_currency or "", l.fx_rate, l.fx_date) for l in statement.lines]
    summary = [(label, sum((l.amount for l in lines if l.kind is kind), Decimal(0)))
               for kind, label, always in SUMMARY if always or any(l.kind is kind for l in lines)]
    balances = []
    for balance in statement.balances:
        who = names.get(balance.title_id, "") + ": " if balance.title_id else ""
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
    fx_used = sorted({FxUsed(l.source_currency, l.fx_rate, l.fx_date) for l in statement.lines
                      if l.fx_rate is not None and l.source_currency and l.fx_date},
                     key=lambda f: (f.source_currency, f.rate_date))
    return StatementDocument(
        statement.id, statement.number or "", statement.status,
        statement.issued_on or (statement.issued_at.date() if statement.issued_at else None), statement.period_label, statement.period_start,
        statement.period_end, statement.currency, reference.minor_units(session).get(statement.currency, 2),
        letterhead(session), participant.name if participant else "", participant.address if participant else "",
        (participant.tax_residence or "") if participant else "", deal.reference if deal else "", summary, balances, lines,
        fx_used, statement.notes or "", _fx_rule(session, statement.deal_id),
    )


def _fx_rule(session: Session, deal_id: int) -> str:
    rule = session.scalar(select(RoyaltyTerms.fx_date_rule).where(RoyaltyTerms.deal_id == deal_id))
    return f"Lines in other currencies are {FX_RULES[rule]}, entered direct or inverse." if rule else ""
