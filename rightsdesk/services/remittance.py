"""Remittance advice as plain data: what was paid to a participant, for which statements, how
(issue 20). One advice per payment: a payment recorded by hand, or one transfer of a payment
run (every statement it covers, under the transfer's reference)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import PaymentMethod
from rightsdesk.domain.errors import NotFound
from rightsdesk.domain.payments import masked_account, to_pay
from rightsdesk.persistence.models import Deal, Party, Payment, PaymentRun, Statement
from rightsdesk.services import reference
from rightsdesk.services.payments import METHOD_NAMES, RunPlan, bank_details_of
from rightsdesk.services.statement_documents import Letterhead, letterhead


@dataclass(frozen=True)
class AdviceLine:
    statement: str  # its number
    deal: str
    period: str
    issued_on: date
    to_pay: Decimal  # what the statement asked to be paid
    paid_before: Decimal
    paid_now: Decimal
    owed_after: Decimal


@dataclass(frozen=True)
class RemittanceAdvice:
    reference: str
    paid_on: date
    method: str  # "Bank transfer"
    currency: str
    minor_units: int
    letterhead: Letterhead
    participant: str
    participant_address: str
    account: str  # masked: "IBAN DE•••• 3000"
    lines: tuple[AdviceLine, ...]
    run: str = ""  # the payment run's label
    account_holder: str = ""  # when the account is in another name than the participant's

    @property
    def total(self) -> Decimal:
        return sum((line.paid_now for line in self.lines), Decimal(0))

    @property
    def file_name(self) -> str:
        """'2027-01-25_Golden Reel_RD-20270124-1-1.pdf': no characters a file system refuses or
        that disguise the name (control and format characters, path separators)."""
        def safe(text: str) -> str:
            kept = "".join(c for c in text if unicodedata.category(c)[0] != "C")
            return re.sub(r'[\\/:*?"<>|]+', " ", kept).strip(" .")[:60] or "payment"

        return f"{self.paid_on}_{safe(self.participant)}_{safe(self.reference)}.pdf"


def run_advices(session: Session, plan: RunPlan) -> list[RemittanceAdvice]:
    """An advice per transfer of a run about to be recorded: each pays what its statements owe."""
    head = letterhead(session)
    parties = {p.id: p for p in session.scalars(select(Party).where(Party.id.in_({t.party_id for t in plan.transfers})))}
    return [RemittanceAdvice(
        t.reference, plan.execution_date, METHOD_NAMES[PaymentMethod.BANK_TRANSFER], t.currency, t.minor_units, head, t.participant,
        parties[t.party_id].address or "", t.account_shown,
        tuple(AdviceLine(s.number, s.deal, s.period, s.issued_on, s.to_pay, s.paid, s.owed, Decimal(0))
              for s in t.statements), plan.label, t.bank.account_holder) for t in plan.transfers]


def advice_of_payment(session: Session, payment_id: int) -> RemittanceAdvice:
    """The advice of a recorded payment: with the other statements its transfer paid, when it
    was one of a run's."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise NotFound(f"payment {payment_id} no longer exists")
    statement = session.get(Statement, payment.statement_id)
    together = [payment]
    if payment.run_id is not None:
        together = list(session.scalars(
            select(Payment).join(Statement, Statement.id == Payment.statement_id)
            .where(Payment.run_id == payment.run_id, Payment.reference == payment.reference,
                   Statement.participant_id == statement.participant_id).order_by(Payment.id)))
    party = session.get(Party, statement.participant_id)
    run = session.get(PaymentRun, payment.run_id) if payment.run_id else None
    lines = []
    for paid in together:
        paid_statement = session.get(Statement, paid.statement_id)
        deal = session.scalar(select(Deal.reference).where(Deal.id == paid_statement.deal_id)) or ""
        before = sum((p.amount for p in session.scalars(select(Payment).where(
            Payment.statement_id == paid.statement_id, Payment.id < paid.id))), Decimal(0))
        asked = to_pay(paid_statement.paid, paid_statement.brought_forward, paid_statement.carried_forward)
        lines.append(AdviceLine(paid_statement.number or "", deal, paid_statement.period_label,
                                paid_statement.issued_on or paid_statement.period_end, asked, before,
                                paid.amount, asked - before - paid.amount))
    return RemittanceAdvice(payment.reference or f"payment {payment.id}", payment.paid_on, METHOD_NAMES[payment.method],
                            payment.currency, reference.minor_units(session).get(payment.currency, 2), letterhead(session),
                            party.name if party else "", (party.address or "") if party else "",
                            masked_account(bank_details_of(party)) if party else "", tuple(lines),
                            run.label if run else "", (party.account_holder or "") if party else "")
