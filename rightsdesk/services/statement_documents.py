"""A statement as its documents need it: every figure, name and rate, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain.enums import StatementLineKind, StatementStatus
from rightsdesk.domain.errors import NotFound
from rightsdesk.persistence.models import AppSetting, Deal, Party, Statement, Title
from rightsdesk.services import reference

DEFAULT_COMPANY = "RightsDesk"
SUMMARY = (
    (StatementLineKind.GROSS_RECEIPTS, "Gross receipts"),
    (StatementLineKind.DISTRIBUTION_FEE, "Distribution fee"),
    (StatementLineKind.EXPENSES_RECOUPED, "Recoupable expenses recouped"),
    (StatementLineKind.NET_RECEIPTS, "Net receipts"),
    (StatementLineKind.PARTICIPANT_SHARE, "Participant share"),
    (StatementLineKind.MG_RECOUPED, "Minimum guarantee recouped"),
    (StatementLineKind.ADJUSTMENT, "Adjustments"),
    (StatementLineKind.PAYABLE, "Payable"),
    (StatementLineKind.WITHHOLDING, "Withholding tax"),
    (StatementLineKind.PAID, "Paid"),
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
    lines = [DetailLine(l.kind, l.description, names.get(l.title_id, ""), l.media_code or "",
                        l.territory_code or "", l.amount) for l in statement.lines]
    summary = []
    for kind, label in SUMMARY:
        if kind is StatementLineKind.ADJUSTMENT and not any(l.kind is kind for l in lines):
            continue
        summary.append((label, sum((l.amount for l in lines if l.kind is kind), Decimal(0))))
    balances = []
    for balance in statement.balances:
        who = names.get(balance.title_id, "") + ": " if balance.title_id else ""
        balances += [
            (f"{who}Minimum guarantee outstanding", balance.opening_mg_outstanding, balance.closing_mg_outstanding),
            (f"{who}Unrecouped expenses", balance.opening_unrecouped_expenses, balance.closing_unrecouped_expenses),
            (f"{who}Cumulative net receipts", balance.opening_cumulative_net, balance.closing_cumulative_net),
        ]
        if balance.opening_deficit or balance.closing_deficit:
            balances.append((f"{who}Overpayment to recover", balance.opening_deficit, balance.closing_deficit))
    fx_used = sorted({FxUsed(l.source_currency, l.fx_rate, l.fx_date) for l in statement.lines
                      if l.fx_rate is not None and l.source_currency and l.fx_date},
                     key=lambda f: (f.source_currency, f.rate_date))
    return StatementDocument(
        statement.id, statement.number or "", statement.status,
        statement.issued_at.date() if statement.issued_at else None, statement.period_label, statement.period_start,
        statement.period_end, statement.currency, reference.minor_units(session).get(statement.currency, 2),
        letterhead(session), participant.name if participant else "", participant.address if participant else "",
        (participant.tax_residence or "") if participant else "", deal.reference if deal else "", summary, balances, lines,
        fx_used, statement.notes or "",
    )
