"""Payments to participants (issue 20): recorded one by one against issued statements, or made
together as a payment run written to a bank file; what is owed and overdue; remittance advice.

Rules: rightsdesk.domain.payments. A payment run is planned (`plan_run`: what each participant
is owed, with the bank details it will be paid to), written to a file for the bank
(rightsdesk.reports.payment_file), then recorded (`record_run`): every statement in it is
paid in the caller's one transaction, or none is.

Within a run each participant is paid one credit transfer per currency, covering all of its
statements; the transfer's reference (the pain.001 end-to-end id) is on each statement's payment
and on the remittance advice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import AuditAction, PaymentMethod, StatementStatus
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.domain.money import round_to_minor_unit
from rightsdesk.domain.payments import (DEFAULT_DUE_DAYS, BankDetails, bank_problems, due_on, is_overdue, masked_account,
                                        normalize_bank_details, still_owed, to_pay)
from rightsdesk.persistence.database import take_turns
from rightsdesk.persistence.models import AppSetting, Deal, Party, Payment, PaymentRun, RoyaltyTerms, Statement
from rightsdesk.services import audit, reference
from rightsdesk.services.statements import parse_label

METHOD_NAMES = {PaymentMethod.BANK_TRANSFER: "Bank transfer", PaymentMethod.CHEQUE: "Cheque",
                PaymentMethod.CARD: "Card", PaymentMethod.OTHER: "Other"}


# -- where a statement's payment stands -------------------------------------------------------------


@dataclass(frozen=True)
class StatementDue:
    """An issued statement and its payment: amounts in its currency; `owed` < 0 when overpaid."""

    statement_id: int
    number: str
    deal: str
    participant_id: int
    participant: str
    period: str
    currency: str
    minor_units: int
    issued_on: date
    due_on: date
    to_pay: Decimal  # the statement's "Paid" step with payables carried under the minimum payout
    paid: Decimal  # recorded against it so far
    owed: Decimal
    overdue: bool
    brought_forward: Decimal = Decimal(0)
    carried_forward: Decimal = Decimal(0)


def standing(session: Session, *, today: date, statement_ids: list[int] | None = None, period: str | None = None,
             owed_only: bool = False) -> list[StatementDue]:
    """Issued statements (those given, those of a period, or all) with what was paid and what is
    still owed, due by the deal's payment terms; oldest due first. Drafts are not listed: nothing
    is owed on a statement until it is issued."""
    # columns, not statements: the list of every statement reads thousands (the whole entity
    # costs the ORM most of a second at the 20 000-title demo's 4 406)
    query = (select(Statement.id, Statement.number, Statement.participant_id, Statement.period_label,
                    Statement.currency, Statement.issued_on, Statement.issued_at, Statement.paid,
                    Statement.brought_forward, Statement.carried_forward,
                    Deal.reference, Party.name, RoyaltyTerms.payment_due_days)
             .join(Deal, Deal.id == Statement.deal_id).join(Party, Party.id == Statement.participant_id)
             .outerjoin(RoyaltyTerms, RoyaltyTerms.deal_id == Statement.deal_id)
             .where(Statement.status == StatementStatus.ISSUED))
    if statement_ids is not None:
        query = query.where(Statement.id.in_(statement_ids))
    if period is not None:
        start, end = parse_label(period)
        query = query.where(Statement.period_start == start, Statement.period_end == end)
    rows = session.execute(query).all()
    paid = _paid(session, [row.id for row in rows])
    minor = reference.minor_units(session)
    found = []
    for row in rows:
        issued = row.issued_on or row.issued_at.date()
        due = due_on(issued, DEFAULT_DUE_DAYS if row.payment_due_days is None else row.payment_due_days)
        asked = to_pay(row.paid, row.brought_forward, row.carried_forward)
        owed = still_owed(asked, paid.get(row.id, Decimal(0)))
        if owed_only and owed <= 0:
            continue
        found.append(StatementDue(row.id, row.number or "", row.reference, row.participant_id, row.name,
                                  row.period_label, row.currency, minor.get(row.currency, 2), issued,
                                  due, asked, paid.get(row.id, Decimal(0)), owed,
                                  is_overdue(due, today, owed), row.brought_forward, row.carried_forward))
    found.sort(key=lambda s: (s.due_on, s.number))
    return found


def _paid(session: Session, statement_ids: list[int]) -> dict[int, Decimal]:
    if not statement_ids:
        return {}
    return {i: Decimal(total) for i, total in session.execute(
        select(Payment.statement_id, func.sum(Payment.amount)).where(Payment.statement_id.in_(statement_ids))
        .group_by(Payment.statement_id))}


def owed_totals(dues: list[StatementDue]) -> dict[str, Decimal]:
    """What is owed per currency (overpayments do not offset other statements)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for due in dues:
        if due.owed > 0:
            totals[due.currency] += due.owed
    return dict(sorted(totals.items()))


# -- recording one payment --------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentDraft:
    amount: Decimal  # in the statement's currency
    paid_on: date
    reference: str = ""  # the bank's or the cheque's
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    currency: str = ""  # "" for the statement's; any other is refused
    note: str = ""


def today() -> date:
    """The day it is on this computer (the app and the command line ask here, so tests can set it)."""
    return date.today()


def record_payment(session: Session, statement_id: int, draft: PaymentDraft, *, user: str, overpay: bool = False,
                   run_id: int | None = None, today: date | None = None) -> int:
    """Record money paid against an issued statement, whole or in part. Returns the payment's id.

    Refused (UserError, nothing written): a draft statement; a date before the statement was
    issued; a date after `today` (a payment records money that left; the app and the command
    line give today, a run's payments are dated the day the bank is asked to pay); a currency
    other than the statement's; an amount of zero or less, or with more decimals than the
    currency has; more than is still owed unless `overpay` (the user said so)."""
    # Two desks paying at once take turns, so the second sees the first's payment in what is owed
    # (PostgreSQL: a transaction lock; SQLite writes one transaction at a time already).
    take_turns(session, "payment")
    statement = session.get(Statement, statement_id)
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    name = statement.number or f"the draft for {statement.period_label}"
    if statement.status is not StatementStatus.ISSUED:
        raise UserError(f"{name} is a draft: a payment is recorded against an issued statement; issue it first")
    issued = statement.issued_on or statement.issued_at.date()  # type: ignore[union-attr]
    if draft.paid_on < issued:
        raise UserError(f"{name} was issued on {issued}: a payment of it cannot be dated {draft.paid_on}, before that; "
                        "say the day the money was paid")
    if today is not None and draft.paid_on > today:
        raise UserError(f"a payment dated {draft.paid_on} is in the future (today is {today}): record a payment once "
                        "the money has left, dated the day it was paid")
    currency = draft.currency.strip().upper() or statement.currency
    if currency != statement.currency:
        raise UserError(f"{name} is in {statement.currency}: record the payment in {statement.currency}, "
                        f"not {currency} (convert it as the bank did)")
    places = reference.minor_units(session).get(currency, 2)
    if draft.amount <= 0:
        raise UserError(f"a payment of {draft.amount} {currency} cannot be recorded: say the amount paid, above zero")
    if draft.amount != round_to_minor_unit(draft.amount, places):
        raise UserError(f"{draft.amount} has more decimals than {currency} has ({places})")
    asked = to_pay(statement.paid, statement.brought_forward, statement.carried_forward)
    owed = still_owed(asked, _paid(session, [statement.id]).get(statement.id, Decimal(0)))
    if draft.amount > owed and not overpay:
        raise UserError(f"{name} has {_money(owed, places)} {currency} still owed; {_money(draft.amount, places)} is more "
                        "than that: say it is an overpayment to record it")
    payment = Payment(statement_id=statement.id, paid_on=draft.paid_on, amount=draft.amount, currency=currency,
                      reference=draft.reference.strip(), method=draft.method, run_id=run_id, recorded_by=user,
                      note=draft.note.strip())
    session.add(payment)
    session.flush()
    audit.record(session, user=user, action=AuditAction.CREATE, entity="payment", entity_id=payment.id,
                 summary=f"paid {_money(draft.amount, places)} {currency} on {statement.number}", before=None,
                 after={"statement": statement.number, "amount": str(draft.amount), "currency": currency,
                        "paid_on": draft.paid_on.isoformat(), "reference": payment.reference,
                        "method": draft.method.value})
    return payment.id


def _money(amount: Decimal, places: int) -> str:
    return f"{amount.quantize(Decimal(1).scaleb(-places)):,}"


# -- listing payments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRow:
    id: int
    statement_id: int
    statement: str
    deal: str
    participant: str
    period: str
    paid_on: date
    amount: Decimal
    currency: str
    reference: str
    method: PaymentMethod
    run: str  # the payment run's label, "" for a payment recorded by hand
    recorded_by: str


def payments(session: Session, *, statement_ids: list[int] | None = None, period: str | None = None,
             run_id: int | None = None) -> list[PaymentRow]:
    """Payments recorded (against those statements, that period's, that run's, or all), newest first."""
    query = (select(Payment, Statement.number, Statement.period_label, Deal.reference, Party.name, PaymentRun.label)
             .join(Statement, Statement.id == Payment.statement_id).join(Deal, Deal.id == Statement.deal_id)
             .join(Party, Party.id == Statement.participant_id).outerjoin(PaymentRun, PaymentRun.id == Payment.run_id))
    if statement_ids is not None:
        query = query.where(Payment.statement_id.in_(statement_ids))
    if period is not None:
        start, end = parse_label(period)
        query = query.where(Statement.period_start == start, Statement.period_end == end)
    if run_id is not None:
        query = query.where(Payment.run_id == run_id)
    return [PaymentRow(p.id, p.statement_id, number or "", deal, party, label, p.paid_on, p.amount, p.currency,
                       p.reference, p.method, run or "", p.recorded_by)
            for p, number, label, deal, party, run in session.execute(query.order_by(Payment.paid_on.desc(), Payment.id.desc()))]


# -- payment runs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payer:
    """The sales house's own account, the one a bank file pays from (app settings)."""

    name: str
    iban: str
    bic: str = ""


PAYER_KEYS = ("company.name", "payments.iban", "payments.bic")


def payer(session: Session) -> Payer:
    values = dict(session.execute(select(AppSetting.key, AppSetting.value).where(AppSetting.key.in_(PAYER_KEYS))).all())
    return Payer(str(values.get("company.name") or "RightsDesk"), str(values.get("payments.iban") or ""),
                 str(values.get("payments.bic") or ""))


def save_payer_account(session: Session, iban: str, bic: str) -> None:
    """Remember the account runs pay from; checked like a participant's."""
    details = normalize_bank_details(BankDetails(iban=iban, bic=bic))
    problems = bank_problems(details) if details.iban else [Problem("IBAN", "the account to pay from needs its IBAN")]
    if problems:
        raise ValidationError(problems)
    for key, value in (("payments.iban", details.iban), ("payments.bic", details.bic)):
        setting = session.get(AppSetting, key)
        if setting is None:
            session.add(AppSetting(key=key, value=value))
        else:
            setting.value = value
    session.flush()


@dataclass(frozen=True)
class Transfer:
    """One credit transfer of a run: everything one participant is owed in one currency."""

    reference: str  # end-to-end id: on the bank file, the payments and the remittance advice
    party_id: int
    participant: str
    country: str  # the participant's tax residence, for the bank file's address
    address: str
    currency: str
    minor_units: int
    bank: BankDetails
    statements: tuple[StatementDue, ...]

    @property
    def amount(self) -> Decimal:
        return sum((s.owed for s in self.statements), Decimal(0))

    @property
    def account_shown(self) -> str:
        return masked_account(self.bank)


@dataclass
class RunPlan:
    label: str
    execution_date: date
    message_id: str
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Decimal]:
        """Per currency, what the run pays."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for transfer in self.transfers:
            totals[transfer.currency] += transfer.amount
        return dict(sorted(totals.items()))

    @property
    def statement_ids(self) -> list[int]:
        return [s.statement_id for t in self.transfers for s in t.statements]


def bank_details_of(party: Party) -> BankDetails:
    return BankDetails(party.iban or "", party.bic or "", party.bank_account_number or "", party.bank_code or "",
                       party.bank_name or "", party.account_holder or "")


def plan_run(session: Session, *, execution_date: date, period: str | None = None,
             statement_ids: list[int] | None = None, label: str = "", now: datetime | None = None,
             bank: bool = True) -> RunPlan:
    """What a payment run would pay: every issued statement of the period (or of the selection)
    with anything owed, one transfer per participant and currency.

    Refused (UserError, listing every case): a selected statement that is a draft; nothing owed;
    for a bank run (`bank`), a participant without bank details to pay to."""
    if period is None and statement_ids is None:
        raise UserError("say which statements to pay: a period, or statements chosen")
    if statement_ids is not None:
        drafts = list(session.scalars(select(Statement.period_label).where(
            Statement.id.in_(statement_ids), Statement.status == StatementStatus.DRAFT)))
        if drafts:
            raise UserError(f"{len(drafts)} of the statements chosen {'is a draft' if len(drafts) == 1 else 'are drafts'} "
                            f"({', '.join(sorted(set(drafts)))}): only issued statements are paid")
    dues = [d for d in standing(session, today=execution_date, statement_ids=statement_ids, period=period) if d.owed > 0]
    if not dues:
        which = f"of {period}" if period else "chosen"
        raise UserError(f"nothing is owed on the issued statements {which}: there is nothing to pay")
    moment = now or datetime.now(UTC)
    message_id = f"RD-{moment:%Y%m%d%H%M%S}-{min(d.statement_id for d in dues)}"
    plan = RunPlan(label.strip() or (f"{period} royalties" if period else f"Payments of {execution_date}"),
                   execution_date, message_id)
    parties = {p.id: p for p in session.scalars(select(Party).where(Party.id.in_({d.participant_id for d in dues})))}
    grouped: dict[tuple[int, str], list[StatementDue]] = defaultdict(list)
    for due in dues:
        grouped[(due.participant_id, due.currency)].append(due)
    problems = []
    for number, ((party_id, currency), owed) in enumerate(sorted(grouped.items(), key=lambda kv: (
            parties[kv[0][0]].name.casefold(), kv[0][1])), start=1):
        party = parties[party_id]
        details = bank_details_of(party)
        if bank and details.is_empty:
            problems.append(Problem(party.name, "has no bank details to pay to: enter its IBAN or account number "
                                                "on the party"))
        plan.transfers.append(Transfer(f"{message_id}-{number}", party_id, party.name, party.tax_residence or "",
                                       party.address or "", currency, owed[0].minor_units, details, tuple(owed)))
    if problems:
        raise ValidationError(problems)
    return plan


def record_run(session: Session, plan: RunPlan, *, user: str, method: PaymentMethod = PaymentMethod.BANK_TRANSFER,
               now: datetime | None = None) -> int:
    """Record a run as made: a payment of what was owed on every statement in it, dated the
    run's execution date, in the caller's transaction (all of them, or, on any error, none).
    Refused when a statement's amount owed changed since the plan (someone recorded a payment
    meanwhile): plan again. Returns the run's id."""
    take_turns(session, "payment")  # what is owed is read again below, after any other desk's payments
    run = PaymentRun(label=plan.label, execution_date=plan.execution_date, created_by=user,
                     message_id=plan.message_id, recorded_at=now or datetime.now(UTC))
    session.add(run)
    session.flush()
    current = {d.statement_id: d.owed for d in standing(session, today=plan.execution_date,
                                                        statement_ids=plan.statement_ids)}
    changed = [s.number for t in plan.transfers for s in t.statements if current.get(s.statement_id) != s.owed]
    if changed:
        raise UserError(f"what is owed on {', '.join(changed)} changed since the run was prepared "
                        "(a payment was recorded meanwhile): prepare the run again")
    for transfer in plan.transfers:
        for due in transfer.statements:
            record_payment(session, due.statement_id, PaymentDraft(due.owed, plan.execution_date, transfer.reference,
                                                                   method, due.currency), user=user, run_id=run.id)
    audit.record(session, user=user, action=AuditAction.CREATE, entity="payment_run", entity_id=run.id,
                 summary=f"payment run {plan.label}", before=None,
                 after={"label": plan.label, "execution_date": plan.execution_date.isoformat(),
                        "message_id": plan.message_id, "statements": len(plan.statement_ids),
                        "totals": {c: str(a) for c, a in plan.totals.items()}})
    return run.id
