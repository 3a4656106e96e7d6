"""Release windows and the templates that plan them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import WindowStatus
from rightsdesk.persistence.base import Base, Code, LongText, Name, Timestamped, Versioned


class WindowTemplate(Versioned, Base):
    """A sequence of media by offsets: APP exclusive day 0-90, AVOD from +91, FAST from +180."""

    __tablename__ = "window_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Name] = mapped_column(unique=True)
    description: Mapped[LongText] = mapped_column(default="")
    steps: Mapped[list[WindowTemplateStep]] = relationship(
        cascade="all, delete-orphan", order_by="WindowTemplateStep.position"
    )


class WindowTemplateStep(Base):
    """Offsets are relativedelta parts counted from the template's start date."""

    __tablename__ = "window_template_step"
    __table_args__ = (UniqueConstraint("template_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("window_template.id", ondelete="CASCADE"))
    position: Mapped[int]
    media_code: Mapped[Code] = mapped_column(ForeignKey("media.code"))
    start_months: Mapped[int] = mapped_column(default=0)
    start_days: Mapped[int] = mapped_column(default=0)
    # NULL length: the window stays open.
    length_months: Mapped[int | None]
    length_days: Mapped[int | None]
    exclusive: Mapped[bool] = mapped_column(default=False)


class ReleaseWindow(Versioned, Timestamped, Base):
    __tablename__ = "release_window"
    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id", ondelete="CASCADE"), index=True)
    territory_code: Mapped[Code] = mapped_column(ForeignKey("territory.code"))
    media_code: Mapped[Code] = mapped_column(ForeignKey("media.code"))
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grant.id", ondelete="SET NULL"))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("window_template.id", ondelete="SET NULL")
    )
    exclusive: Mapped[bool] = mapped_column(default=False)
    status: Mapped[WindowStatus] = mapped_column(default=WindowStatus.PLANNED)
    planned_start: Mapped[date]
    planned_end: Mapped[date | None]
    actual_start: Mapped[date | None]
    actual_end: Mapped[date | None]
    notes: Mapped[LongText] = mapped_column(default="")
