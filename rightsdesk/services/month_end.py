"""What the month-end commands list: the revenue batches imported and the exchange rates stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import BatchStatus
from rightsdesk.persistence.models import ExchangeRate, ImportBatch, RevenueSource


@dataclass(frozen=True)
class Batch:
    id: int
    source: str
    file_name: str
    imported_at: datetime  # UTC
    imported_by: str
    status: BatchStatus
    rows: int


def batches(session: Session, batch_id: int | None = None) -> list[Batch]:
    """Every import batch (or one), newest first."""
    query = (select(ImportBatch.id, RevenueSource.name, ImportBatch.file_name, ImportBatch.imported_at,
                    ImportBatch.imported_by, ImportBatch.status, ImportBatch.row_count)
             .join(RevenueSource, RevenueSource.id == ImportBatch.source_id)
             .order_by(ImportBatch.id.desc()))
    if batch_id is not None:
        query = query.where(ImportBatch.id == batch_id)
    return [Batch(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class Rate:
    rate_date: date
    base: str
    quote: str
    rate: Decimal  # units of quote for one unit of base
    source: str


def rates(session: Session, *, base: str = "", quote: str = "") -> list[Rate]:
    """Every stored exchange rate, by pair then date; optionally of one base and/or quote currency."""
    query = select(ExchangeRate.rate_date, ExchangeRate.base_currency, ExchangeRate.quote_currency, ExchangeRate.rate,
                   ExchangeRate.source).order_by(ExchangeRate.base_currency, ExchangeRate.quote_currency,
                                                 ExchangeRate.rate_date)
    if base:
        query = query.where(ExchangeRate.base_currency == base.strip().upper())
    if quote:
        query = query.where(ExchangeRate.quote_currency == quote.strip().upper())
    return [Rate(*row) for row in session.execute(query)]

