"""What a party (producer, platform, channel, vendor...) is, and the rules an edit must keep."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import Problem

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
    id: int | None = None
    version: int | None = None


def normalize_party(draft: PartyDraft) -> PartyDraft:
    for name in ("name", "legal_name", "contact_name", "email", "phone", "tax_id", "payment_reference"):
        setattr(draft, name, getattr(draft, name).strip())
    draft.tax_residence = draft.tax_residence.strip().upper()
    draft.currency = draft.currency.strip().upper()
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
    return problems
