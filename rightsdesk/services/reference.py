"""Reference data for pickers and validation, and territory scopes as grants, holdbacks and
music licences store them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from rightsdesk.domain.media import MediaCodes
from rightsdesk.domain.rights import Known
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.domain.territory_groups import Definition, expand
from rightsdesk.persistence.models import (
    Currency,
    Language,
    Media,
    Territory,
    TerritoryGroup,
    TerritoryGroupMember,
    TerritoryGroupSubgroup,
)
from rightsdesk.services.listing import chunks


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


def media(session: Session, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(code, name) of the media offered in pickers, in their order: retired ones left out, but
    for those in `keep` (what the record being edited names, so that saving it keeps them)."""
    kept = set(keep)
    return [(code, name) for code, name, active in session.execute(
        select(Media.code, Media.name, Media.active).order_by(Media.sort_order, Media.code)) if active or code in kept]


def territory_groups(session: Session) -> dict[str, frozenset[str]]:
    """Every territory group (standard and user-made): code -> its countries, those of the
    groups inside it included however deep (rightsdesk.domain.territory_groups.expand)."""
    return expand(group_definitions(session))


def group_definitions(session: Session) -> dict[str, Definition]:
    """Every territory group as stored: code -> its own countries and its subgroups' codes."""
    members: dict[str, set[str]] = {code: set() for code in session.scalars(select(TerritoryGroup.code))}
    rows = session.execute(
        select(TerritoryGroup.code, TerritoryGroupMember.territory_code).join(TerritoryGroupMember)
    )
    for code, country in rows:
        members[code].add(country)
    inner = aliased(TerritoryGroup)
    subgroups: dict[str, set[str]] = defaultdict(set)
    for code, sub in session.execute(
        select(TerritoryGroup.code, inner.code)
        .join(TerritoryGroupSubgroup, TerritoryGroupSubgroup.group_id == TerritoryGroup.id)
        .join(inner, inner.id == TerritoryGroupSubgroup.member_group_id)
    ):
        subgroups[code].add(sub)
    return {code: Definition(frozenset(countries), frozenset(subgroups.get(code, ())))
            for code, countries in members.items()}


def media_codes(session: Session, *, retired: bool = True) -> list[str]:
    """Every medium's code in the pickers' order: the retired ones too (what grants, windows,
    fee rates and revenue lines may name is checked against these), or with `retired` False
    only those still offered (what "every media" means in a new question)."""
    query = select(Media.code).order_by(Media.sort_order, Media.code)
    return list(session.scalars(query if retired else query.where(Media.active)))


def known_media(session: Session) -> MediaCodes:
    """Every medium's code as stored (the retired ones too), which also finds the stored code
    for one a user or a file typed in any case (rightsdesk.domain.media). Build it once per
    unit of work and match every typed code through it."""
    return MediaCodes(session.scalars(select(Media.code)))


def known(session: Session) -> Known:
    """The reference data deals and queries are checked against."""
    return Known(
        countries=country_codes(session), groups=territory_groups(session),
        media=known_media(session), currencies=currency_codes(session),
    )


# -- territory scopes as grants, holdbacks and music licences store them --------------------------


def territory_scopes(session: Session, table: type, owner: object, ids: Sequence[int]) -> dict[int, TerritoryScope]:
    """The territory scope of each of many grants, holdbacks or licences (`table` holds their
    scope lines, `owner` is its column naming whose they are), in the order they were written."""
    group_codes = dict(session.execute(select(TerritoryGroup.id, TerritoryGroup.code)).all())
    items: dict[int, list[ScopeItem]] = defaultdict(list)
    for chunk in chunks(ids):
        rows = session.execute(
            select(owner, table.territory_code, table.group_id, table.excluded)  # type: ignore[attr-defined]
            .where(owner.in_(chunk)).order_by(table.id)  # type: ignore[attr-defined]
        )
        for owner_id, country, group_id, excluded in rows:
            code = group_codes[group_id] if group_id is not None else country
            items[owner_id].append(ScopeItem(code, group_id is not None, excluded))
    return {owner_id: TerritoryScope(tuple(scope)) for owner_id, scope in items.items()}


def scope_row(item: ScopeItem, group_ids: dict[str, int]) -> dict[str, Any]:
    """The columns of one scope line (grants, holdbacks and music licences store them alike)."""
    if item.is_group:
        return dict(group_id=group_ids[item.code], territory_code=None, excluded=item.excluded)
    return dict(group_id=None, territory_code=item.code, excluded=item.excluded)
