"""Territory scopes: countries and groups, included and excluded, and how people write them.

A grant names its territories as "WORLD excluding CN, HK, MO, TW": some groups and countries
included, some excluded. The scope covers exactly the included countries less the excluded
ones, whatever order they were listed in (an exclusion always wins, as in a contract).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rightsdesk.domain.reference import TERRITORY_ALIASES

# How many countries a short form lists before it says "and N more".
LISTED = 12


@dataclass(frozen=True)
class ScopeItem:
    """One line of a scope: a country (alpha-2) or a group code, included or excluded."""

    code: str
    is_group: bool = False
    excluded: bool = False


@dataclass(frozen=True)
class TerritoryScope:
    items: tuple[ScopeItem, ...] = ()

    @classmethod
    def parse(cls, text: str, groups: Iterable[str]) -> TerritoryScope:
        """'WORLD -CN -HK', 'WORLD excluding CN, HK' or 'SEA, LATAM, US' as a scope.

        Codes are matched without regard to case; a code that is a group's is taken as the group.
        A country or group added back after an exclusion ('EUROPE excluding WESTERN_EUROPE, +FR')
        is covered: when `groups` maps codes to countries, a group excluded earlier that holds it
        is excluded country by country without it (WESTERN_EUROPE becomes AT, BE, CH...), so the
        scope is stored and read back the same way.
        """
        group_codes = {g.upper() for g in groups}
        words = text.replace(",", " ").split()
        items: list[ScopeItem] = []
        excluding = False
        for word in words:
            if word.lower() in ("excluding", "except", "excl", "excl."):
                excluding = True
                continue
            # '+FR' after an exclusion adds France back: the picker writes 'EUROPE excluding GB, +IE'.
            excluded = word.startswith("-") or (excluding and not word.startswith("+"))
            code = word.lstrip("-+").upper()
            code = TERRITORY_ALIASES.get(code, code) if code not in group_codes else code  # UK is GB (ISO 3166)
            if code and not excluded:  # a later '+FR' wins over an earlier exclusion of FR
                items = [i for i in items if not (i.excluded and i.code == code)]
                if isinstance(groups, Mapping):
                    items = _add_back(items, groups.get(code, frozenset()) if code in group_codes else {code}, groups)
            if code:
                items.append(ScopeItem(code, code in group_codes, excluded))
        return cls(tuple(items))

    @property
    def included(self) -> tuple[ScopeItem, ...]:
        return tuple(i for i in self.items if not i.excluded)

    @property
    def excluded(self) -> tuple[ScopeItem, ...]:
        return tuple(i for i in self.items if i.excluded)

    def countries(self, groups: Mapping[str, frozenset[str]]) -> frozenset[str]:
        """Every country the scope covers. `groups` maps group codes to their countries."""
        return _expand(self.included, groups) - _expand(self.excluded, groups)

    def describe(self) -> str:
        """The short form people use: 'WORLD excluding CN, HK, MO, TW'."""
        included = ", ".join(i.code for i in self.included) or "nowhere"
        excluded = ", ".join(i.code for i in self.excluded)
        return f"{included} excluding {excluded}" if excluded else included

    def is_empty(self) -> bool:
        return not self.included


def _add_back(items: list[ScopeItem], countries: Iterable[str], groups: Mapping[str, frozenset[str]]) -> list[ScopeItem]:
    back = frozenset(countries)
    kept: list[ScopeItem] = []
    for item in items:
        members = groups.get(item.code, frozenset()) if item.is_group else frozenset()
        if item.excluded and members & back:
            kept += [ScopeItem(c, False, True) for c in sorted(members - back)]
        else:
            kept.append(item)
    return kept


def _expand(items: Iterable[ScopeItem], groups: Mapping[str, frozenset[str]]) -> frozenset[str]:
    countries: set[str] = set()
    for item in items:
        countries |= groups.get(item.code, frozenset()) if item.is_group else {item.code}
    return frozenset(countries)


def describe_countries(
    countries: Iterable[str], groups: Mapping[str, frozenset[str]], *, world: str = "WORLD",
    limit: int | None = None,
) -> str:
    """A set of countries in the shortest honest words: 'SEA', 'SEA, US', or
    'WORLD excluding GREATER_CHINA, LATAM' when it is nearly everywhere. With a `limit`, a long
    list is cut ('… and 3 more') for a message; a report or a file lists every code."""
    wanted = frozenset(countries)
    if not wanted:
        return "no territory"
    everywhere = groups.get(world, frozenset())
    if wanted == everywhere:
        return world
    named = _named(wanted, groups, world)
    if wanted <= everywhere:
        missing = _named(everywhere - wanted, groups, world)
        if len(missing) < len(named):
            return f"{world} excluding {_listed(missing, limit)}"
    return _listed(named, limit)


def _named(countries: frozenset[str], groups: Mapping[str, frozenset[str]], world: str) -> list[str]:
    """Group codes for the whole groups inside the set (largest first), then the other countries."""
    left = set(countries)
    names = []
    for code, members in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        if code != world and members and members <= left:
            names.append(code)
            left -= members
    return names + sorted(left)


def _listed(codes: list[str], limit: int | None) -> str:
    if limit is None or len(codes) <= limit:
        return ", ".join(codes)
    return f"{', '.join(codes[:limit])} and {len(codes) - limit} more"
