"""What the main window says of the database it works on: how many titles and parties it holds,
and whether it holds any title at all (an empty demo database is built on opening)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.persistence.models import Party, Title


@dataclass(frozen=True)
class DeskSize:
    titles: int
    parties: int


def desk_size(session: Session) -> DeskSize:
    """How many titles and parties the database holds."""
    return DeskSize(session.scalar(select(func.count(Title.id))) or 0, session.scalar(select(func.count(Party.id))) or 0)


def holds_titles(session: Session) -> bool:
    """Whether the database holds at least one title."""
    return session.scalar(select(Title.id).limit(1)) is not None
