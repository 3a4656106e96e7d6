"""The catalogue: titles (series), their episodes, and bundled libraries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.persistence.base import Base, Code, LongText, Name, Timestamped, Versioned


class Title(Versioned, Timestamped, Base):
    """A series."""

    __tablename__ = "title"
    id: Mapped[int] = mapped_column(primary_key=True)
    internal_id: Mapped[Code] = mapped_column(unique=True)
    original_name: Mapped[Name] = mapped_column(index=True)
    original_language: Mapped[Code] = mapped_column(default="")
    country_of_origin: Mapped[Code | None] = mapped_column(ForeignKey("territory.code"))
    genre: Mapped[Name] = mapped_column(default="")
    production_year: Mapped[int | None]
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True)
    eidr: Mapped[Code | None] = mapped_column(String(34), unique=True)  # 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C
    aspect_ratio: Mapped[Code] = mapped_column(default="9:16")
    synopsis: Mapped[LongText] = mapped_column(default="")
    notes: Mapped[LongText] = mapped_column(default="")

    episodes: Mapped[list[Episode]] = relationship(
        cascade="all, delete-orphan", order_by="Episode.number", back_populates="title"
    )
    localized_names: Mapped[list[TitleLocalizedName]] = relationship(
        cascade="all, delete-orphan", back_populates="title"
    )


class TitleLocalizedName(Base):
    __tablename__ = "title_localized_name"
    __table_args__ = (UniqueConstraint("title_id", "language_tag"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id", ondelete="CASCADE"), index=True)
    language_tag: Mapped[Code]
    name: Mapped[Name]
    title: Mapped[Title] = relationship(back_populates="localized_names")


class Episode(Base):
    __tablename__ = "episode"
    __table_args__ = (
        UniqueConstraint("title_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("runtime_seconds > 0", name="runtime_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[Name] = mapped_column(default="")
    runtime_seconds: Mapped[int]
    eidr: Mapped[Code | None] = mapped_column(String(34), unique=True)  # 10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C
    # The version of the episode's cue sheet (its cues, edited as one): compared and moved on by
    # the UPDATE that saves the sheet, so of two desks saving at once the second is refused.
    cue_sheet_version: Mapped[int] = mapped_column(default=1, server_default="1")
    title: Mapped[Title] = relationship(back_populates="episodes")


class Library(Versioned, Timestamped, Base):
    """A bundled 'vertical library': a curated set of titles sold as one unit."""

    __tablename__ = "library"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    description: Mapped[LongText] = mapped_column(default="")
    retired_on: Mapped[date | None]  # no longer offered from this day; its history and grants stay
    members: Mapped[list[LibraryMember]] = relationship(
        cascade="all, delete-orphan", back_populates="library"
    )


class LibraryMember(Base):
    """A title's stay in a library, dated so that grants can tell who was in it when; a title
    that leaves and joins again has a row per stay."""

    __tablename__ = "library_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("library.id", ondelete="CASCADE"), index=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id", ondelete="CASCADE"), index=True)
    added_on: Mapped[date]
    removed_on: Mapped[date | None]
    library: Mapped[Library] = relationship(back_populates="members")
