"""A deal's royalty terms and its expenses: loading, validating, saving with an audit trail."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain.enums import (
    AuditAction,
    ExpenseCategory,
    FxDateRule,
    LibrarySplitRule,
    StatementFrequency,
    StatementStatus,
)
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.persistence.models import (
    Deal,
    Expense,
    FeeRate,
    MgPayment,
    Party,
    RoyaltyTerms,
    ShareTier,
    Statement,
    StatementExpense,
)
from rightsdesk.persistence.base import utcnow
from rightsdesk.services import audit, reference

ENTITY = "royalty_terms"
HUNDRED = Decimal(100)


@dataclass
class TermsDraft:
    participant_id: int | None
    currency: str = "USD"
    default_fee_percent: Decimal = Decimal(0)
    fee_rates: list[tuple[str | None, str | None, Decimal]] = field(default_factory=list)  # media, territory, %
    expense_cap: Decimal | None = None
    # The MG schedule: (amount, date paid, title or None for the whole deal), DOMAIN.md step 6.
    mg_payments: list[tuple[Decimal, date, int | None]] = field(default_factory=list)
    tiers: list[tuple[Decimal, Decimal]] = field(default_factory=lambda: [(Decimal(0), Decimal(50))])  # from, %
    cross_collateralized: bool = True
    withholding_percent: Decimal = Decimal(0)
    frequency: StatementFrequency = StatementFrequency.QUARTERLY
    first_period_start: date | None = None
    library_split_rule: LibrarySplitRule = LibrarySplitRule.RUNTIME
    fx_date_rule: FxDateRule = FxDateRule.PERIOD_END
    expense_cap_per_title: bool = False  # default: the cap is the deal's, all titles together
    reserve_percent: Decimal = Decimal(0)  # of the share, held against returns...
    reserve_periods: int = 0  # ...for this many statement periods
    version: int | None = None
    # Payment terms (issue 20): a statement is due this many days after its issue; a payable
    # under the minimum payout (the terms' currency; None: the participant's own, if any) is carried.
    payment_due_days: int = 45
    minimum_payout: Decimal | None = None

    @property
    def mg_amount(self) -> Decimal:
        return sum((amount for amount, _, _ in self.mg_payments), Decimal(0))


def terms_problems(draft: TermsDraft, *, currencies: set[str], media: frozenset[str] | set[str],
                   countries: set[str]) -> list[Problem]:
    problems: list[Problem] = []

    def check(ok: bool, where: str, message: str) -> None:
        if not ok:
            problems.append(Problem(where, message))

    check(draft.participant_id is not None, "participant", "choose who is paid")
    check(draft.currency in currencies, "currency", f"'{draft.currency}' is not an ISO 4217 currency")
    for where, value in (("fee", draft.default_fee_percent), ("withholding", draft.withholding_percent)):
        check(0 <= value <= HUNDRED, where, f"{value} % is not between 0 and 100")
    for media_code, territory, percent in draft.fee_rates:
        check(media_code is not None or territory is not None, "fees", "a fee rate names a media, a territory or both")
        check(media_code is None or media_code in media, "fees", f"'{media_code}' is not a known media")
        check(territory is None or territory in countries, "fees", f"'{territory}' is not a country code")
        check(0 <= percent <= HUNDRED, "fees", f"{percent} % is not between 0 and 100")
    keys = [(m, t) for m, t, _ in draft.fee_rates]
    check(len(keys) == len(set(keys)), "fees", "the same media and territory has two fee rates")
    check(draft.expense_cap is None or draft.expense_cap >= 0, "expense cap", "cannot be negative")
    for amount, paid_on, title_id in draft.mg_payments:
        check(amount > 0, "minimum guarantee", f"a payment of {amount} is not more than zero")
        check(paid_on is not None, "minimum guarantee", "each payment needs the date it was paid")
        check(title_id is None or not draft.cross_collateralized, "minimum guarantee",
              "a cross-collateralized deal has one MG pool: give its payments no title")
    check(0 <= draft.reserve_percent <= HUNDRED, "reserve", f"{draft.reserve_percent} % is not between 0 and 100")
    check(draft.reserve_periods >= 0, "reserve", "the periods a reserve is held cannot be negative")
    check(0 <= draft.payment_due_days <= 3660, "payment due",
          f"{draft.payment_due_days} days after issue is not a payment term (0 to 3660 days)")
    check(draft.minimum_payout is None or draft.minimum_payout >= 0, "minimum payout",
          "cannot be negative: leave it empty for the participant's own")
    check(not draft.reserve_percent or draft.reserve_periods > 0, "reserve",
          "say for how many periods the reserve is held")
    check(bool(draft.tiers), "share", "give at least the participant's share from 0")
    floors = [floor for floor, _ in draft.tiers]
    check(not draft.tiers or min(floors) == 0, "share", "the first tier starts at 0 cumulative net receipts")
    check(len(floors) == len(set(floors)), "share", "two tiers start at the same level")
    for floor, percent in draft.tiers:
        check(floor >= 0, "share", "a tier cannot start below 0")
        check(0 <= percent <= HUNDRED, "share", f"{percent} % is not between 0 and 100")
    return problems


def load_terms(session: Session, deal_id: int) -> TermsDraft | None:
    terms = session.scalar(select(RoyaltyTerms).where(RoyaltyTerms.deal_id == deal_id).options(
        selectinload(RoyaltyTerms.fee_rates), selectinload(RoyaltyTerms.share_tiers),
        selectinload(RoyaltyTerms.mg_payments)))
    if terms is None:
        return None
    return TermsDraft(
        terms.participant_id, terms.currency, terms.default_fee_percent,
        [(r.media_code, r.territory_code, r.percent) for r in terms.fee_rates], terms.expense_cap,
        [(p.amount, p.paid_on, p.title_id) for p in terms.mg_payments],
        [(t.from_cumulative_net, t.percent) for t in terms.share_tiers], terms.cross_collateralized,
        terms.withholding_percent, terms.frequency, terms.first_period_start, terms.library_split_rule,
        terms.fx_date_rule, terms.expense_cap_per_title, terms.reserve_percent, terms.reserve_periods, terms.version,
        terms.payment_due_days, terms.minimum_payout,
    )


def save_terms(session: Session, deal_id: int, draft: TermsDraft, *, user: str) -> None:
    deal = session.get(Deal, deal_id)
    if deal is None:
        raise NotFound("this deal no longer exists: someone deleted it meanwhile")
    media = reference.known_media(session)  # a fee rate's media typed in any case is kept as the medium's code
    draft = dataclasses.replace(draft, currency=draft.currency.strip().upper(),
                                fee_rates=[(media.as_stored(m) or None if m else None, t, p) for m, t, p in draft.fee_rates])
    problems = terms_problems(draft, currencies=reference.currency_codes(session),
                              media=media, countries=reference.country_codes(session))
    if draft.participant_id is not None and session.get(Party, draft.participant_id) is None:
        problems.append(Problem("participant", "the participant no longer exists"))
    if problems:
        raise ValidationError(problems)
    terms = session.scalar(select(RoyaltyTerms).where(RoyaltyTerms.deal_id == deal_id))
    before = None
    if terms is None:
        terms = RoyaltyTerms(deal_id=deal_id)
        session.add(terms)
    else:
        if draft.version is not None and draft.version != terms.version:
            raise audit.conflict(session, ENTITY, terms.id)
        before = _snapshot(load_terms(session, deal_id))  # type: ignore[arg-type]
        terms.fee_rates.clear()
        terms.share_tiers.clear()
        terms.mg_payments.clear()
        session.flush()
    for name in ("participant_id", "currency", "default_fee_percent", "expense_cap", "cross_collateralized",
                 "withholding_percent", "frequency", "first_period_start", "library_split_rule", "fx_date_rule",
                 "expense_cap_per_title", "reserve_percent", "reserve_periods", "payment_due_days", "minimum_payout"):
        setattr(terms, name, getattr(draft, name))
    terms.fee_rates = [FeeRate(media_code=m, territory_code=t, percent=p) for m, t, p in draft.fee_rates]
    terms.share_tiers = [ShareTier(from_cumulative_net=f, percent=p) for f, p in sorted(draft.tiers)]
    terms.mg_payments = [MgPayment(amount=a, paid_on=d, title_id=t)
                         for a, d, t in sorted(draft.mg_payments, key=lambda p: (p[1], p[0]))]
    # The terms row itself is written even when only its lists changed, so that its version
    # moves and a desk holding the old terms is refused (optimistic concurrency).
    terms.updated_at = utcnow()
    terms_id = terms.id  # read before the flush: a failed one expires it with the rollback
    try:
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, ENTITY, terms_id or 0) from error
    after = _snapshot(load_terms(session, deal_id))  # type: ignore[arg-type]
    if before != after:
        audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                     entity=ENTITY, entity_id=terms.id, summary=f"terms of {deal.reference}", before=before, after=after)


def _snapshot(draft: TermsDraft) -> dict[str, Any]:
    return audit.snapshot(draft)


@dataclass
class ExpenseDraft:
    category: ExpenseCategory
    incurred_on: date
    amount: Decimal
    currency: str
    description: str = ""
    recoupable: bool = True
    id: int | None = None


def expenses(session: Session, deal_id: int) -> list[ExpenseDraft]:
    return [ExpenseDraft(e.category, e.incurred_on, e.amount, e.currency, e.description, e.recoupable, e.id)
            for e in session.scalars(select(Expense).where(Expense.deal_id == deal_id).order_by(Expense.incurred_on, Expense.id))]


def save_expense(session: Session, deal_id: int, draft: ExpenseDraft, *, user: str) -> int:
    problems = []
    if draft.amount <= 0:
        problems.append(Problem("amount", "an expense is more than zero"))
    if draft.currency.upper() not in reference.currency_codes(session):
        problems.append(Problem("currency", f"'{draft.currency}' is not an ISO 4217 currency"))
    if problems:
        raise ValidationError(problems)
    expense = session.get(Expense, draft.id) if draft.id else None
    before = None
    if expense is not None:
        taken = session.scalar(select(Statement.number).join(StatementExpense).where(
            StatementExpense.expense_id == expense.id, Statement.status == StatementStatus.ISSUED).limit(1))
        if taken is not None and _expense_snapshot(expense) != _expense_snapshot(_as_expense(draft, expense.deal_id)):
            raise UserError(f"this expense is on issued statement {taken}, which cannot change; "
                            "correct it with an adjustment of a later statement instead")
    if expense is None:
        expense = Expense(deal_id=deal_id)
        session.add(expense)
    else:
        before = _expense_snapshot(expense)
    expense.category, expense.incurred_on, expense.amount = ExpenseCategory(draft.category), draft.incurred_on, draft.amount
    expense.currency, expense.description, expense.recoupable = draft.currency.upper(), draft.description, draft.recoupable
    session.flush()
    audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                 entity="expense", entity_id=expense.id, summary=draft.description or draft.category.value, before=before,
                 after=_expense_snapshot(expense))
    return expense.id


def _as_expense(draft: ExpenseDraft, deal_id: int) -> Expense:
    return Expense(deal_id=deal_id, category=ExpenseCategory(draft.category), incurred_on=draft.incurred_on,
                   amount=draft.amount, currency=draft.currency.upper(), description=draft.description,
                   recoupable=draft.recoupable)


def _expense_snapshot(expense: Expense) -> dict[str, Any]:
    return audit.jsonable({"amount": expense.amount, "currency": expense.currency, "incurred_on": expense.incurred_on,
                           "category": expense.category, "recoupable": expense.recoupable,
                           "description": expense.description})


def book_expense(session: Session, deal_id: int, category: ExpenseCategory, amount: Decimal | None, currency: str,
                 description: str, incurred_on: date, *, recoupable: bool, user: str,
                 music_licence_id: int | None = None, localization_task_id: int | None = None) -> int:
    """Book what a music licence or a localization task cost as an expense of a deal, once:
    the expense keeps the link, and booking the same cost again is refused with where it went."""
    link = Expense.music_licence_id == music_licence_id if music_licence_id is not None else \
        Expense.localization_task_id == localization_task_id
    already = session.scalars(select(Expense).where(link).limit(1)).first()
    if already is not None:
        deal = session.get(Deal, already.deal_id)
        raise UserError(f"this was already booked as an expense of deal {deal.reference if deal else already.deal_id} "
                        f"on {already.incurred_on} ({already.amount} {already.currency})")
    if amount is None or amount <= 0 or not currency:
        raise UserError("there is no amount to book: enter the amount and its currency first")
    if session.get(Deal, deal_id) is None:
        raise NotFound("this deal no longer exists: someone deleted it meanwhile")
    expense_id = save_expense(session, deal_id, ExpenseDraft(category, incurred_on, amount, currency, description,
                                                             recoupable), user=user)
    expense = session.get(Expense, expense_id)
    assert expense is not None
    expense.music_licence_id, expense.localization_task_id = music_licence_id, localization_task_id
    session.flush()
    return expense_id
