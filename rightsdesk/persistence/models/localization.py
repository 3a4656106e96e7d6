"""Localization: subtitles, dubs, metadata and artwork per title (or episode) and language."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.persistence.base import Amount, Base, Code, LongText, Name, Timestamped, Versioned


class LocalizationTask(Versioned, Timestamped, Base):
    __tablename__ = "localization_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id", ondelete="CASCADE"), index=True)
    # NULL: the task covers the whole title.
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    language_tag: Mapped[Code] = mapped_column(index=True)
    kind: Mapped[LocalizationKind]
    status: Mapped[LocalizationStatus] = mapped_column(default=LocalizationStatus.NOT_STARTED)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    cost: Mapped[Amount | None]
    currency: Mapped[Code | None] = mapped_column(ForeignKey("currency.code"))
    due_on: Mapped[date | None]
    delivered_on: Mapped[date | None]
    file_reference: Mapped[Name] = mapped_column(default="")
    notes: Mapped[LongText] = mapped_column(default="")
