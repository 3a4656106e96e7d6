"""Music clearance: tracks, who wrote and owns them, cue sheets, licences."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import CreditRole, LicenceStatus, UsageCode
from rightsdesk.persistence.base import (
    Amount,
    Base,
    Code,
    LongText,
    Name,
    Percent,
    Timestamped,
    Versioned,
)
from rightsdesk.persistence.models.scope import TerritoryScopeItem


class MusicTrack(Versioned, Timestamped, Base):
    """A recording, shared by every episode and title that uses it."""

    __tablename__ = "music_track"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[Name] = mapped_column(index=True)
    isrc: Mapped[Code | None]
    iswc: Mapped[Code | None]
    duration_seconds: Mapped[int | None]
    notes: Mapped[LongText] = mapped_column(default="")
    credits: Mapped[list[TrackCredit]] = relationship(cascade="all, delete-orphan")


class TrackCredit(Base):
    """A composer, lyricist or publisher of a track, with their share and society."""

    __tablename__ = "track_credit"
    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(
        ForeignKey("music_track.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[CreditRole]
    name: Mapped[Name]
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    share_percent: Mapped[Percent | None]
    society: Mapped[Code] = mapped_column(default="")  # performing rights organisation
    ipi: Mapped[Code] = mapped_column(default="")


class Cue(Base):
    """A use of a track in an episode. Times are milliseconds from the episode's start."""

    __tablename__ = "cue"
    __table_args__ = (
        UniqueConstraint("episode_id", "position"),
        CheckConstraint("in_ms >= 0 AND out_ms > in_ms", name="times_in_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ForeignKey("music_track.id"), index=True)
    position: Mapped[int]
    usage: Mapped[UsageCode]
    in_ms: Mapped[int]
    out_ms: Mapped[int]


class MusicLicence(Versioned, Timestamped, Base):
    """A sync and/or master licence for a track, with its scope and where it stands."""

    __tablename__ = "music_licence"
    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(
        ForeignKey("music_track.id", ondelete="CASCADE"), index=True
    )
    licensor_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    covers_sync: Mapped[bool] = mapped_column(default=True)
    covers_master: Mapped[bool] = mapped_column(default=True)
    status: Mapped[LicenceStatus] = mapped_column(default=LicenceStatus.NOT_REQUESTED)
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    fee: Mapped[Amount | None]
    currency: Mapped[Code | None] = mapped_column(ForeignKey("currency.code"))
    requested_on: Mapped[date | None]
    answered_on: Mapped[date | None]
    document_reference: Mapped[Name] = mapped_column(default="")
    notes: Mapped[LongText] = mapped_column(default="")
    territories: Mapped[list[MusicLicenceTerritory]] = relationship(cascade="all, delete-orphan")
    media: Mapped[list[MusicLicenceMedia]] = relationship(cascade="all, delete-orphan")


class MusicLicenceTerritory(TerritoryScopeItem, Base):
    __tablename__ = "music_licence_territory"
    licence_id: Mapped[int] = mapped_column(
        ForeignKey("music_licence.id", ondelete="CASCADE"), index=True
    )


class MusicLicenceMedia(Base):
    __tablename__ = "music_licence_media"
    licence_id: Mapped[int] = mapped_column(
        ForeignKey("music_licence.id", ondelete="CASCADE"), primary_key=True
    )
    media_code: Mapped[Code] = mapped_column(ForeignKey("media.code"), primary_key=True)
