"""What a party (producer, platform, channel, vendor...) is, and the rules an edit must keep.

A participant is paid to the bank details held on it (checked by rightsdesk.domain.payments),
never below its minimum payout (a payable below it is carried to the next statement; the deal's
own minimum comes first), and receives its statements at the contacts ticked "receives
statements" (issue 20).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from decimal import Decimal

from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import Problem
from rightsdesk.domain.payments import BankDetails, bank_problems, normalize_bank_details

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class PartyDraft:
    name: str
    kind: PartyKind = PartyKind.PRODUCER
    legal_name: str = ""
    tax_residence: str = ""  # ISO 3166-1 alpha-2
    currency: str = ""  # ISO 4217
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    tax_id: str = ""
    payment_reference: str = ""
    notes: str = ""
    # Where royalties are paid: an IBAN (and BIC), or an account number with its bank.
    iban: str = ""
    bic: str = ""
    bank_account_number: str = ""
    bank_code: str = ""
    bank_name: str = ""
    account_holder: str = ""
    minimum_payout: Decimal | None = None  # in the statement's currency; None: none
    statement_workbook: bool = False  # statements by email carry the workbook too
    contacts: list[ContactDraft] = field(default_factory=list)
    id: int | None = None
    version: int | None = None

    @property
    def bank(self) -> BankDetails:
        return BankDetails(self.iban, self.bic, self.bank_account_number, self.bank_code, self.bank_name,
                           self.account_holder)


@dataclass
class ContactDraft:
    """A person at the party; those ticked receive its statements by email."""

    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    receives_statements: bool = False


def normalize_party(draft: PartyDraft) -> PartyDraft:
    for name in ("name", "legal_name", "contact_name", "email", "phone", "tax_id", "payment_reference"):
        setattr(draft, name, getattr(draft, name).strip())
    draft.tax_residence = draft.tax_residence.strip().upper()
    draft.currency = draft.currency.strip().upper()
    bank = normalize_bank_details(draft.bank)
    draft.iban, draft.bic, draft.bank_account_number = bank.iban, bank.bic, bank.account_number
    draft.bank_code, draft.bank_name, draft.account_holder = bank.bank_code, bank.bank_name, bank.account_holder
    draft.contacts = [ContactDraft(c.name.strip(), c.role.strip(), c.email.strip(), c.phone.strip(), c.receives_statements)
                      for c in draft.contacts if c.name.strip() or c.email.strip() or c.phone.strip()]
    return draft


def party_problems(
    draft: PartyDraft, *, countries: Container[str], currencies: Container[str]
) -> list[Problem]:
    problems: list[Problem] = []
    if not draft.name:
        problems.append(Problem("name", "a party needs a name"))
    if draft.tax_residence and draft.tax_residence not in countries:
        problems.append(
            Problem("tax_residence", f"'{draft.tax_residence}' is not an ISO 3166-1 country code")
        )
    if draft.currency and draft.currency not in currencies:
        problems.append(Problem("currency", f"'{draft.currency}' is not an ISO 4217 currency code"))
    if draft.email and not _EMAIL.match(draft.email):
        problems.append(Problem("email", f"'{draft.email}' is not an e-mail address"))
    problems += bank_problems(draft.bank)
    if draft.minimum_payout is not None and draft.minimum_payout < 0:
        problems.append(Problem("minimum payout", f"{draft.minimum_payout} is below zero: leave it empty for none"))
    for number, contact in enumerate(draft.contacts, start=1):
        who = f"contact {number}" + (f" ({contact.name})" if contact.name else "")
        if contact.email and not _EMAIL.match(contact.email):
            problems.append(Problem(who, f"'{contact.email}' is not an e-mail address"))
        if contact.receives_statements and not contact.email:
            problems.append(Problem(who, "receives statements but has no e-mail address"))
    return problems
