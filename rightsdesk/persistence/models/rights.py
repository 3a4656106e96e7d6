"""Deals and the grants inside them: who holds which rights, where, on what, when."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import DealDirection, DealStatus, LanguageVersion, TermAnchor
from rightsdesk.persistence.base import Base, Code, LongText, Name, Timestamped, Versioned
from rightsdesk.persistence.models.scope import TerritoryScopeItem


class Deal(Versioned, Timestamped, Base):
    __tablename__ = "deal"
    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[DealDirection] = mapped_column(index=True)
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    reference: Mapped[Code] = mapped_column(unique=True)
    signed_on: Mapped[date | None]
    status: Mapped[DealStatus] = mapped_column(default=DealStatus.DRAFT)
    currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    notes: Mapped[LongText] = mapped_column(default="")
    grants: Mapped[list[Grant]] = relationship(cascade="all, delete-orphan", back_populates="deal")


class Grant(Versioned, Timestamped, Base):
    """A rights line: titles/libraries x territories x media x languages x term."""

    __tablename__ = "grant"
    __table_args__ = (
        CheckConstraint(
            "term_start IS NULL OR term_end IS NULL OR term_start <= term_end", name="term_order"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    exclusive: Mapped[bool] = mapped_column(default=False)
    sublicensing_allowed: Mapped[bool] = mapped_column(default=False)
    # Inclusive days; NULL is an open end.
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    # A term counted from an event (issue 19): "5 years from delivery" is anchor DELIVERY,
    # start offset P0D, duration P5Y; "18 months from first release on APP" is anchor
    # FIRST_RELEASE with term_anchor_media APP. Offsets and durations are ISO 8601 durations;
    # a NULL start offset keeps the fixed term_start. Until the event has a date
    # (term_anchor_on, or the deal's signature, or the anchor media's released window) the
    # computed ends are unknown; once it has one, term_start/term_end are filled in and audited.
    term_duration: Mapped[Code | None]
    term_anchor: Mapped[TermAnchor | None]
    term_anchor_media: Mapped[Code | None] = mapped_column(ForeignKey("media.code"))
    term_anchor_on: Mapped[date | None]
    term_start_offset: Mapped[Code | None]
    notes: Mapped[LongText] = mapped_column(default="")

    deal: Mapped[Deal] = relationship(back_populates="grants")
    titles: Mapped[list[GrantTitle]] = relationship(cascade="all, delete-orphan")
    libraries: Mapped[list[GrantLibrary]] = relationship(cascade="all, delete-orphan")
    territories: Mapped[list[GrantTerritory]] = relationship(cascade="all, delete-orphan")
    media: Mapped[list[GrantMedia]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[GrantLanguage]] = relationship(cascade="all, delete-orphan")
    holdbacks: Mapped[list[Holdback]] = relationship(cascade="all, delete-orphan")
    options: Mapped[list[GrantOption]] = relationship(cascade="all, delete-orphan")


class GrantOption(Base):
    """An option to extend a grant's term: by how long (ISO 8601 duration), the last day it can
    be exercised, and how many days' notice the exercise needs. Exercising it extends term_end
    by extend_by, with an audit entry."""

    __tablename__ = "grant_option"
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    extend_by: Mapped[Code]
    exercise_by: Mapped[date]
    notice_days: Mapped[int] = mapped_column(default=0)
    exercised_on: Mapped[date | None]
    exercised_by: Mapped[Name] = mapped_column(default="")
    notes: Mapped[LongText] = mapped_column(default="")


class GrantTitle(Base):
    """A title in a grant, optionally limited to a range of episodes (inclusive)."""

    __tablename__ = "grant_title"
    __table_args__ = (
        UniqueConstraint("grant_id", "title_id"),
        CheckConstraint(
            "first_episode IS NULL OR last_episode IS NULL OR first_episode <= last_episode",
            name="episode_order",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"))
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id"), index=True)
    first_episode: Mapped[int | None]
    last_episode: Mapped[int | None]


class GrantLibrary(Base):
    __tablename__ = "grant_library"
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("grant.id", ondelete="CASCADE"), primary_key=True
    )
    library_id: Mapped[int] = mapped_column(ForeignKey("library.id"), primary_key=True, index=True)


class GrantTerritory(TerritoryScopeItem, Base):
    __tablename__ = "grant_territory"
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)


class GrantMedia(Base):
    __tablename__ = "grant_media"
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("grant.id", ondelete="CASCADE"), primary_key=True
    )
    media_code: Mapped[Code] = mapped_column(ForeignKey("media.code"), primary_key=True)


class GrantLanguage(Base):
    """A language the grant is limited to; a grant with none covers every language."""

    __tablename__ = "grant_language"
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("grant.id", ondelete="CASCADE"), primary_key=True
    )
    language_tag: Mapped[Code] = mapped_column(primary_key=True)
    version: Mapped[LanguageVersion] = mapped_column(default=LanguageVersion.ANY)


class Holdback(Base):
    """A restriction a grant imposes: e.g. no FAST in these territories until 90 days after
    the APP release. Either fixed dates, or counted from the release of an anchor media."""

    __tablename__ = "holdback"
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    after_release_of: Mapped[Code | None] = mapped_column(ForeignKey("media.code"))
    days_after_release: Mapped[int | None]
    description: Mapped[Name] = mapped_column(default="")
    media: Mapped[list[HoldbackMedia]] = relationship(cascade="all, delete-orphan")
    territories: Mapped[list[HoldbackTerritory]] = relationship(cascade="all, delete-orphan")


class HoldbackMedia(Base):
    """A media the holdback forbids."""

    __tablename__ = "holdback_media"
    holdback_id: Mapped[int] = mapped_column(
        ForeignKey("holdback.id", ondelete="CASCADE"), primary_key=True
    )
    media_code: Mapped[Code] = mapped_column(ForeignKey("media.code"), primary_key=True)


class HoldbackTerritory(TerritoryScopeItem, Base):
    __tablename__ = "holdback_territory"
    holdback_id: Mapped[int] = mapped_column(
        ForeignKey("holdback.id", ondelete="CASCADE"), index=True
    )
