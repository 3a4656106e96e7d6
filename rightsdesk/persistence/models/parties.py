"""Parties: producers, platforms, channels, broadcasters, publishers, vendors."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import PartyKind
from rightsdesk.persistence.base import Amount, Base, Code, LongText, Name, Timestamped, Versioned


class Party(Versioned, Timestamped, Base):
    __tablename__ = "party"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Name] = mapped_column(index=True)
    legal_name: Mapped[Name] = mapped_column(default="")
    kind: Mapped[PartyKind] = mapped_column(index=True)
    tax_residence: Mapped[Code | None] = mapped_column(ForeignKey("territory.code"))
    currency: Mapped[Code | None] = mapped_column(ForeignKey("currency.code"))
    contact_name: Mapped[Name] = mapped_column(default="")
    email: Mapped[Name] = mapped_column(default="")
    phone: Mapped[Name] = mapped_column(default="")
    address: Mapped[LongText] = mapped_column(default="")
    tax_id: Mapped[Name] = mapped_column(default="")
    # A pointer to where bank details live elsewhere (ERP vendor number...).
    payment_reference: Mapped[Name] = mapped_column(default="")
    # Where royalties are paid (issue 20): an IBAN and BIC, or for countries without IBAN an
    # account number with its bank and bank code (routing, sort or branch code).
    iban: Mapped[Name] = mapped_column(default="", server_default="")
    bic: Mapped[Name] = mapped_column(default="", server_default="")
    bank_account_number: Mapped[Name] = mapped_column(default="", server_default="")
    bank_code: Mapped[Name] = mapped_column(default="", server_default="")
    bank_name: Mapped[Name] = mapped_column(default="", server_default="")
    account_holder: Mapped[Name] = mapped_column(default="", server_default="")
    # A payable below this (in the statement's currency) is carried to the next statement;
    # the deal's own minimum, when set, comes first.
    minimum_payout: Mapped[Amount | None]
    # Statements by email: the PDF always, the workbook too when the party asks for it.
    statement_workbook: Mapped[bool] = mapped_column(default=False, server_default="0")
    notes: Mapped[LongText] = mapped_column(default="")
    contacts: Mapped[list[PartyContact]] = relationship(
        cascade="all, delete-orphan", back_populates="party"
    )


class PartyContact(Base):
    __tablename__ = "party_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    name: Mapped[Name]
    role: Mapped[Name] = mapped_column(default="")
    email: Mapped[Name] = mapped_column(default="")
    phone: Mapped[Name] = mapped_column(default="")
    receives_statements: Mapped[bool] = mapped_column(default=False, server_default="0")
    party: Mapped[Party] = relationship(back_populates="contacts")
