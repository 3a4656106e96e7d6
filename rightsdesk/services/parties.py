"""Parties: listing, loading, saving."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain.enums import AuditAction, PartyKind
from rightsdesk.domain.errors import NotFound, ValidationError
from rightsdesk.domain.parties import ContactDraft, PartyDraft, normalize_party, party_problems
from rightsdesk.domain.payments import BankDetails, masked_account
from rightsdesk.persistence.models import Deal, Party, PartyContact, Territory, Title
from rightsdesk.services import audit, reference
from rightsdesk.services.listing import ListQuery, contains, matching_ids


@dataclass(frozen=True)
class PartyRow:
    id: int
    name: str
    kind: PartyKind
    tax_residence: str
    country_name: str
    currency: str
    contact_name: str
    email: str
    deal_count: int
    title_count: int
    account: str = ""  # where it is paid, masked: "IBAN DE•••• 3000"


_deal_count = (
    select(func.count(Deal.id)).where(Deal.counterparty_id == Party.id).scalar_subquery()
)
_title_count = (
    select(func.count(Title.id)).where(Title.producer_id == Party.id).scalar_subquery()
)

PARTY_SORT = {
    "name": Party.name,
    "kind": Party.kind,
    "tax_residence": Party.tax_residence,
    "currency": Party.currency,
    "contact_name": Party.contact_name,
    "email": Party.email,
    "deal_count": _deal_count,
    "title_count": _title_count,
    "account": Party.iban + Party.bank_account_number,
}
_FIELDS = [f.name for f in dataclasses.fields(PartyDraft)
           if f.name not in ("id", "version", "contacts", "minimum_payout", "statement_workbook")]


def find_party_ids(
    session: Session, query: ListQuery = ListQuery(), kind: PartyKind | None = None
) -> list[int]:
    ids = select(Party.id)
    if kind is not None:
        ids = ids.where(Party.kind == kind)
    return matching_ids(
        session,
        ids,
        query,
        searchable=[
            contains(Party.name),
            contains(Party.legal_name),
            contains(Party.contact_name),
            contains(Party.email),
            contains(cast(Party.kind, String)),
            contains(Party.tax_residence),
        ],
        sortable=PARTY_SORT,
        tiebreak=Party.id,
    )


def party_rows(session: Session, ids: Sequence[int]) -> dict[int, PartyRow]:
    if not ids:
        return {}
    deals = (
        select(Deal.counterparty_id, func.count(Deal.id).label("n"))
        .where(Deal.counterparty_id.in_(ids))
        .group_by(Deal.counterparty_id)
        .subquery()
    )
    titles = (
        select(Title.producer_id, func.count(Title.id).label("n"))
        .where(Title.producer_id.in_(ids))
        .group_by(Title.producer_id)
        .subquery()
    )
    statement = (
        select(Party, Territory.name, deals.c.n, titles.c.n)
        .outerjoin(Territory, Territory.code == Party.tax_residence)
        .outerjoin(deals, deals.c.counterparty_id == Party.id)
        .outerjoin(titles, titles.c.producer_id == Party.id)
        .where(Party.id.in_(ids))
    )
    return {
        party.id: PartyRow(
            id=party.id,
            name=party.name,
            kind=party.kind,
            tax_residence=party.tax_residence or "",
            country_name=country or "",
            currency=party.currency or "",
            contact_name=party.contact_name,
            email=party.email,
            deal_count=deal_count or 0,
            title_count=title_count or 0,
            account=masked_account(BankDetails(party.iban or "", party.bic or "", party.bank_account_number or "",
                                               party.bank_code or "", party.bank_name or "")),
        )
        for party, country, deal_count, title_count in session.execute(statement)
    }


def load_party(session: Session, party_id: int) -> PartyDraft:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"party {party_id} no longer exists")
    return _draft_of(party)


def _draft_of(party: Party) -> PartyDraft:
    values = {name: getattr(party, name) or "" for name in _FIELDS}
    values["kind"] = party.kind
    contacts = [ContactDraft(c.name, c.role or "", c.email or "", c.phone or "", bool(c.receives_statements))
                for c in sorted(party.contacts, key=lambda c: c.id or 0)]
    return PartyDraft(**values, minimum_payout=party.minimum_payout, statement_workbook=bool(party.statement_workbook),
                      contacts=contacts, id=party.id, version=party.version)


def save_party(session: Session, draft: PartyDraft, *, user: str) -> int:
    draft = normalize_party(dataclasses.replace(draft))
    problems = party_problems(
        draft,
        countries=reference.country_codes(session),
        currencies=reference.currency_codes(session),
    )
    if problems:
        raise ValidationError(problems)
    if draft.id is None:
        party = Party()
        session.add(party)
        before = None
    else:
        party = audit.still_current(session, session.get(Party, draft.id), draft, "party", "party")
        before = _snapshot(_draft_of(party))
    for name in _FIELDS:
        setattr(party, name, getattr(draft, name))
    party.tax_residence = draft.tax_residence or None
    party.currency = draft.currency or None
    party.minimum_payout, party.statement_workbook = draft.minimum_payout, draft.statement_workbook
    if draft.contacts != _draft_of(party).contacts:  # only a real change replaces the rows
        party.contacts = [PartyContact(name=c.name, role=c.role, email=c.email, phone=c.phone,
                                       receives_statements=c.receives_statements) for c in draft.contacts]
    try:
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, "party", draft.id or 0) from error
    after = _snapshot(_draft_of(party))
    if before != after:
        audit.record(
            session,
            user=user,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            entity="party",
            entity_id=party.id,
            summary=party.name,
            before=before,
            after=after,
        )
    return party.id


def _snapshot(draft: PartyDraft) -> dict[str, Any]:
    data = dataclasses.asdict(draft)
    data.pop("version")
    data["kind"] = str(draft.kind)
    data["minimum_payout"] = None if draft.minimum_payout is None else str(draft.minimum_payout)
    return data
