"""Revenue: where reports come from, how their columns map, what was imported, FX rates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import BatchStatus, RevenueType
from rightsdesk.persistence.base import (
    Amount,
    Base,
    Code,
    FxRate,
    LongText,
    Name,
    Quantity,
    Timestamped,
    utcnow,
)


class RevenueSource(Timestamped, Base):
    """A platform or channel that sends revenue reports."""

    __tablename__ = "revenue_source"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Name] = mapped_column(unique=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    default_currency: Mapped[Code | None] = mapped_column(ForeignKey("currency.code"))
    notes: Mapped[LongText] = mapped_column(default="")
    mappings: Mapped[list[ColumnMapping]] = relationship(cascade="all, delete-orphan")


class ColumnMapping(Base):
    """A saved profile: which column of a source's file means what, and how to read it."""

    __tablename__ = "column_mapping"
    __table_args__ = (UniqueConstraint("source_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("revenue_source.id", ondelete="CASCADE"))
    name: Mapped[Name]
    # field name -> column header; reading options (encoding, delimiter, decimal comma...).
    columns: Mapped[dict[str, Any]] = mapped_column(JSON)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportBatch(Base):
    """One imported file. The content hash lets the same file be recognised twice."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("revenue_source.id"), index=True)
    file_name: Mapped[Name]
    content_hash: Mapped[Code] = mapped_column(String(64), index=True)  # SHA-256, hex
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[Name] = mapped_column(default="")
    status: Mapped[BatchStatus] = mapped_column(default=BatchStatus.IMPORTED)
    row_count: Mapped[int] = mapped_column(default=0)
    lines: Mapped[list[RevenueLine]] = relationship(cascade="all, delete-orphan")


class RevenueLine(Base):
    """A line of a platform report, as imported, and what it was matched to."""

    __tablename__ = "revenue_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int]
    period_start: Mapped[date]
    period_end: Mapped[date] = mapped_column(index=True)  # statement runs select by it
    territory_code: Mapped[Code | None] = mapped_column(ForeignKey("territory.code"))
    media_code: Mapped[Code | None] = mapped_column(ForeignKey("media.code"))
    revenue_type: Mapped[RevenueType]
    # What the report called it, kept so unmatched lines can be matched later.
    reported_identifier: Mapped[Name] = mapped_column(default="")
    title_id: Mapped[int | None] = mapped_column(ForeignKey("title.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id"))
    library_id: Mapped[int | None] = mapped_column(ForeignKey("library.id"), index=True)
    units: Mapped[Quantity | None]
    gross_amount: Mapped[Amount]
    platform_fees: Mapped[Amount] = mapped_column(default=0)
    taxes: Mapped[Amount] = mapped_column(default=0)
    currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))


class TitleAlias(Base):
    """What a source calls one of our titles (or episodes); remembered from manual matches."""

    __tablename__ = "title_alias"
    __table_args__ = (UniqueConstraint("source_id", "alias"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("revenue_source.id", ondelete="CASCADE")
    )
    alias: Mapped[Name]
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id", ondelete="CASCADE"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))


class ExchangeRate(Base):
    """How many units of quote currency one unit of base currency bought on a day."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("base_currency", "quote_currency", "rate_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    base_currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    quote_currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    rate_date: Mapped[date]
    rate: Mapped[FxRate]
    source: Mapped[Name] = mapped_column(default="")
