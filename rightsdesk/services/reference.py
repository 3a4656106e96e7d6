"""Reference data for pickers and validation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.persistence.models import Currency, Language, Media, Territory


def countries(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every country, by name."""
    return list(session.execute(select(Territory.code, Territory.name).order_by(Territory.name)).all())


def country_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Territory.code)))


def currency_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Currency.code)))


def minor_units(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Currency.code, Currency.minor_units)).all())


def languages(session: Session) -> list[tuple[str, str]]:
    """(tag, name) of the languages offered in pickers."""
    return list(session.execute(select(Language.tag, Language.name).order_by(Language.name)).all())


def media(session: Session) -> list[tuple[str, str]]:
    return list(
        session.execute(
            select(Media.code, Media.name).where(Media.active).order_by(Media.sort_order)
        ).all()
    )
