"""Parties: producers, platforms, channels, broadcasters, publishers, vendors."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import PartyKind
from rightsdesk.persistence.base import Base, Code, LongText, Name, Timestamped, Versioned


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
    # A pointer to where bank details live (ERP vendor number...), never the details themselves.
    payment_reference: Mapped[Name] = mapped_column(default="")
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
    party: Mapped[Party] = relationship(back_populates="contacts")
