"""The declarative base every model shares: naming convention, column types, mixins."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, Date, DateTime, Enum, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Constraints get predictable names so migrations (and SQLite batch mode) can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact decimal stored as an integer count of 10**-scale units.

    SQLite has no exact decimal type: its NUMERIC goes through binary floating point. Storing
    scaled integers keeps every amount exact on SQLite and PostgreSQL alike, and SUM() in SQL
    stays exact too. A value with more decimal places than the column holds is refused rather
    than silently rounded: rounding is a business decision, made in the domain.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int):
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError(f"exact amounts must be Decimal, not float ({value!r})")
        scaled = Decimal(value).scaleb(self.scale)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, stored as naive UTC and always handed back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("moments must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# Typed column aliases: say what a column holds, and the base maps it to storage.
Amount = Annotated[Decimal, "amount"]  # money, up to 6 decimal places (imported lines carry more than cents)
Percent = Annotated[Decimal, "percent"]  # 25.5 means 25.5 %
FxRate = Annotated[Decimal, "fx_rate"]  # units of quote currency for one unit of base
Quantity = Annotated[Decimal, "quantity"]  # units, views, shares of a split
Code = Annotated[str, "code"]  # short codes: ISO country, currency, media
Name = Annotated[str, "name"]
LongText = Annotated[str, "text"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Amount: ScaledDecimal(6),
        Percent: ScaledDecimal(4),
        FxRate: ScaledDecimal(10),
        Quantity: ScaledDecimal(4),
        Code: String(32),
        # Names are unbounded: PostgreSQL enforces VARCHAR lengths (SQLite does not), and a
        # pasted 400-character series name is odd, not wrong.
        Name: String(),
        LongText: Text(),
        str: String(),
        datetime: UTCDateTime(),
        date: Date(),
        # Enums are stored by value as plain strings, so adding a value never needs a
        # database type change; SQLAlchemy still refuses unknown values on write.
        enum.Enum: Enum(
            enum.Enum,
            native_enum=False,
            create_constraint=False,
            length=32,
            validate_strings=True,
            values_callable=lambda members: [m.value for m in members],
        ),
    }


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Versioned:
    """Optimistic concurrency: an UPDATE that finds another version than it loaded fails."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


__all__ = [
    "Amount",
    "Base",
    "Code",
    "FxRate",
    "LongText",
    "Name",
    "Percent",
    "Quantity",
    "ScaledDecimal",
    "Timestamped",
    "UTCDateTime",
    "Versioned",
    "utcnow",
]
