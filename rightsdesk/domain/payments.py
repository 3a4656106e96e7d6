"""Paying participants: where the money goes (bank details, checked and shown masked), when a
statement is due and what is still owed on it.

Rules (DOMAIN.md "Payments", issue 20):
- A payment is recorded against an *issued* statement, in the statement's currency, for no more
  than is still owed unless the user says it is an overpayment.
- What a statement asks to be paid is its "Paid" step (payable less withholding tax), plus what
  the deal's previous statement carried to it, less what it carries to the next because the sum
  is under the minimum payout (its "To pay now" line when either is there); what is still owed
  is that less every payment recorded against it.
- A statement is due `payment_due_days` after its date of issue (the deal's payment terms, 45 by
  default) and overdue from the day after, while anything is owed.
- Bank details: an IBAN (ISO 13616, checked by `schwifty`: country, length, check digits and the
  country's own structure) with an optional BIC (ISO 9362), or, for countries without IBAN, an
  account number with its bank (name and code: routing, sort or branch code). Numbers are shown
  masked everywhere but where they are edited and in the bank file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rightsdesk.domain.errors import Problem

DEFAULT_DUE_DAYS = 45


@dataclass(frozen=True)
class BankDetails:
    """Where a party is paid. Empty strings when not known."""

    iban: str = ""
    bic: str = ""
    account_number: str = ""
    bank_code: str = ""
    bank_name: str = ""
    account_holder: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.iban or self.account_number)

    @property
    def account(self) -> str:
        """The account as the bank file names it: the IBAN, else the account number."""
        return self.iban or self.account_number


def compact(text: str) -> str:
    """An IBAN, BIC or account number without spaces, upper case: as banks read them."""
    return "".join(text.split()).upper()


def normalize_bank_details(details: BankDetails) -> BankDetails:
    return BankDetails(compact(details.iban), compact(details.bic), compact(details.account_number),
                       details.bank_code.strip(), details.bank_name.strip(), details.account_holder.strip())


def bank_problems(details: BankDetails) -> list[Problem]:
    """What is wrong with bank details, field by field; [] when they can be paid to (or are empty).

    An IBAN and an account number together are refused: the bank file could only use one, and
    the user must say which."""
    # (imported here: modules a statement run imports, in its second process too, import this
    # one, and schwifty's registry takes ~40 ms to load)
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException

    problems = []
    if details.iban:
        try:
            IBAN(details.iban)
        except SchwiftyException as error:
            problems.append(Problem("IBAN", f"'{details.iban}' is not a valid IBAN ({_reason(error)})"))
        if details.account_number:
            problems.append(Problem("account number", "give an IBAN or an account number with its bank, not both"))
    if details.bic:
        try:
            BIC(details.bic)
        except SchwiftyException as error:
            problems.append(Problem("BIC", f"'{details.bic}' is not a valid BIC ({_reason(error)})"))
    if details.account_number and not (details.bank_code or details.bank_name or details.bic):
        problems.append(Problem("bank", "an account number needs its bank: a bank code, the bank's name or a BIC"))
    if (details.bic or details.bank_code or details.bank_name) and details.is_empty:
        problems.append(Problem("IBAN", "bank given without an account: enter the IBAN or the account number"))
    return problems


def _reason(error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else "wrong format"


def mask(number: str) -> str:
    """'•••• 3000': the last four characters only, so a screen or a printout never shows a
    whole account number. Short numbers are hidden entirely."""
    value = compact(number)
    if not value:
        return ""
    return "•••• " + value[-4:] if len(value) > 6 else "••••"


def masked_account(details: BankDetails) -> str:
    """'IBAN DE•••• 3000' or 'Account •••• 6789 (Bank of Lanka)'; '' when there is none."""
    if details.iban:
        return f"IBAN {details.iban[:2]}{mask(details.iban)}"
    if details.account_number:
        bank = details.bank_name or details.bank_code or details.bic
        return f"Account {mask(details.account_number)}" + (f" ({bank})" if bank else "")
    return ""


def due_on(issued_on: date, due_days: int = DEFAULT_DUE_DAYS) -> date:
    """The day a statement issued on `issued_on` must be paid by (the deal's payment terms)."""
    return issued_on + timedelta(days=due_days)


def to_pay(paid_step: Decimal, brought_forward: Decimal = Decimal(0), carried_forward: Decimal = Decimal(0)) -> Decimal:
    """What a statement asks to be paid: its "Paid" step with the payables carried under the
    minimum payout (brought from the previous statement, carried to the next)."""
    return paid_step + brought_forward - carried_forward


def still_owed(to_pay: Decimal, paid: Decimal) -> Decimal:
    """What remains to pay on a statement: what it asks less what was recorded; negative when
    overpaid."""
    return to_pay - paid


def is_overdue(due: date, today: date, owed: Decimal) -> bool:
    """Overdue from the day after it was due, while anything is owed."""
    return owed > 0 and today > due
