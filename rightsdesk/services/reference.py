"""Reference data for pickers and validation."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.rights import Known
from rightsdesk.persistence.models import (
    Currency,
    Language,
    Media,
    Territory,
    TerritoryGroup,
    TerritoryGroupMember,
)


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


def territory_groups(session: Session) -> dict[str, frozenset[str]]:
    """Every territory group (standard and user-made): code -> its countries."""
    members: dict[str, set[str]] = {code: set() for code in session.scalars(select(TerritoryGroup.code))}
    rows = session.execute(
        select(TerritoryGroup.code, TerritoryGroupMember.territory_code).join(TerritoryGroupMember)
    )
    for code, country in rows:
        members[code].add(country)
    return {code: frozenset(countries) for code, countries in members.items()}


def media_codes(session: Session) -> list[str]:
    return [code for code, _ in media(session)]


def known(session: Session) -> Known:
    """The reference data deals and queries are checked against."""
    return Known(
        countries=country_codes(session), groups=territory_groups(session),
        media=set(session.scalars(select(Media.code))), currencies=currency_codes(session),
    )
