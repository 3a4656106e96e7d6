"""Reference data: territories and their groups, media, languages, currencies, settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.persistence.base import Base, Code, LongText, Name, Versioned


class Territory(Base):
    """An ISO 3166-1 country."""

    __tablename__ = "territory"
    code: Mapped[Code] = mapped_column(primary_key=True)  # alpha-2
    name: Mapped[Name]


class TerritoryGroup(Versioned, Base):
    """A named set of countries (WORLD, EU, LATAM...). Editable; standard ones are seeded."""

    __tablename__ = "territory_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    is_standard: Mapped[bool] = mapped_column(default=False)
    members: Mapped[list[TerritoryGroupMember]] = relationship(
        cascade="all, delete-orphan", back_populates="group"
    )
    # Nested regions: a group may contain other groups (EUROPE holds EU and the rest).
    subgroups: Mapped[list[TerritoryGroupSubgroup]] = relationship(
        cascade="all, delete-orphan", foreign_keys="TerritoryGroupSubgroup.group_id"
    )


class TerritoryGroupSubgroup(Base):
    """A group inside a group. Cycles are refused by the service that saves groups."""

    __tablename__ = "territory_group_subgroup"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("territory_group.id", ondelete="CASCADE"), primary_key=True
    )
    member_group_id: Mapped[int] = mapped_column(
        ForeignKey("territory_group.id"), primary_key=True, index=True
    )


class TerritoryGroupMember(Base):
    __tablename__ = "territory_group_member"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("territory_group.id", ondelete="CASCADE"), primary_key=True
    )
    territory_code: Mapped[Code] = mapped_column(ForeignKey("territory.code"), primary_key=True)
    group: Mapped[TerritoryGroup] = relationship(back_populates="members")


class Media(Versioned, Base):
    """A right type (APP, SVOD, AVOD, FAST...). The list is configurable."""

    __tablename__ = "media"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    description: Mapped[LongText] = mapped_column(default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # The EMA Avails LicenseType this medium is offered as (EST, VOD, SVOD or POEST); empty
    # means the standard mapping (rightsdesk.domain.ema.license_type: SVOD, EST, TVOD as VOD,
    # any other medium as VOD).
    ema_license_type: Mapped[Code | None]


class Language(Base):
    """A BCP 47 language tag offered in pickers."""

    __tablename__ = "language"
    tag: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]


class Currency(Base):
    """An ISO 4217 currency and its minor units (2 for USD, 0 for JPY, 3 for KWD)."""

    __tablename__ = "currency"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    minor_units: Mapped[int]


class AppSetting(Base):
    """Settings shared by everyone on this database (letterhead, statement numbering...)."""

    __tablename__ = "app_setting"
    key: Mapped[Code] = mapped_column(primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
