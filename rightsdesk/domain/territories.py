"""Territory scopes: countries and groups, included and excluded, and how people write them.

A grant names its territories as "WORLD excluding CN, HK, MO, TW": some groups and countries
included, some excluded. The scope covers exactly the included countries less the excluded
ones, whatever order they were listed in (an exclusion always wins, as in a contract).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
        """
        group_codes = {g.upper() for g in groups}
        words = text.replace(",", " ").split()
        items: list[ScopeItem] = []
        excluding = False
        for word in words:
            if word.lower() in ("excluding", "except", "excl", "excl."):
                excluding = True
                continue
            excluded = excluding or word.startswith("-")
            code = word.lstrip("-+").upper()
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


def _expand(items: Iterable[ScopeItem], groups: Mapping[str, frozenset[str]]) -> frozenset[str]:
    countries: set[str] = set()
    for item in items:
        countries |= groups.get(item.code, frozenset()) if item.is_group else {item.code}
    return frozenset(countries)


def describe_countries(
    countries: Iterable[str], groups: Mapping[str, frozenset[str]], *, world: str = "WORLD"
) -> str:
    """A set of countries in the shortest honest words: a group's code when it is exactly a
    group, 'WORLD excluding ...' when it is nearly everywhere, else the countries themselves."""
    wanted = frozenset(countries)
    if not wanted:
        return "no territory"
    for code, members in sorted(groups.items(), key=lambda g: (g[0] != world, g[0])):
        if members == wanted:
            return code
    everywhere = groups.get(world, frozenset())
    if wanted <= everywhere and len(everywhere - wanted) < len(wanted):
        return f"{world} excluding {_listed(everywhere - wanted)}"
    return _listed(wanted)


def _listed(codes: Iterable[str]) -> str:
    ordered = sorted(codes)
    if len(ordered) <= LISTED:
        return ", ".join(ordered)
    return f"{', '.join(ordered[:LISTED])} and {len(ordered) - LISTED} more"
