"""Territory groups inside groups, and what changing one does to the rights that name it.

A group is some countries of its own and some groups inside it (EUROPE holds the four
European subregions; a user's EMEA_SALES may hold EUROPE, MENA and ZA). What a group covers is
its countries and, recursively, everything its subgroups cover, as they are *now*: a grant of
EUROPE follows Europe when a country joins it. Groups never contain themselves, however deep
(a cycle is refused on saving).

Codes are upper case, letters, digits and underscores, and never a country's code or a word of
the short form ("excluding"), so that 'EUROPE excluding GB' always reads one way.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from rightsdesk.domain.errors import Problem
from rightsdesk.domain.reference import TERRITORY_ALIASES
from rightsdesk.domain.territories import TerritoryScope

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
_WORDS = {"EXCLUDING", "EXCEPT", "EXCL"}


@dataclass
class GroupDraft:
    """A territory group as an editor holds it: its own countries and its subgroups (codes)."""

    code: str
    name: str
    countries: set[str] = field(default_factory=set)
    subgroups: set[str] = field(default_factory=set)
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class Definition:
    """What a group is made of, as stored: its own countries and the codes of its subgroups."""

    countries: frozenset[str] = frozenset()
    subgroups: frozenset[str] = frozenset()


def normalize_group(draft: GroupDraft) -> GroupDraft:
    draft.code, draft.name = draft.code.strip().upper(), " ".join(draft.name.split())
    draft.countries = {TERRITORY_ALIASES.get(c.strip().upper(), c.strip().upper()) for c in draft.countries if c.strip()}
    draft.subgroups = {s.strip().upper() for s in draft.subgroups if s.strip()}
    return draft


def expand(definitions: Mapping[str, Definition]) -> dict[str, frozenset[str]]:
    """Every group's countries, subgroups' countries included however deep: code -> countries.
    A subgroup that is not defined adds nothing; a cycle (refused on saving, so only in a
    damaged database) is cut where it closes instead of recursing for ever."""
    done: dict[str, frozenset[str]] = {}

    def walk(code: str, path: frozenset[str]) -> frozenset[str]:
        if code in done:
            return done[code]
        definition = definitions.get(code, Definition())
        countries = set(definition.countries)
        for sub in definition.subgroups:
            if sub not in path:
                countries |= walk(sub, path | {sub})
        result = frozenset(countries)
        done[code] = result
        return result

    for code in definitions:
        walk(code, frozenset({code}))
    return done


def cycle(definitions: Mapping[str, Definition], code: str) -> list[str] | None:
    """A chain of subgroups leading from `code` back to itself ([EUROPE, EU, EUROPE]), or None."""
    def walk(current: str, path: list[str]) -> list[str] | None:
        for sub in sorted(definitions.get(current, Definition()).subgroups):
            if sub == code:
                return path + [sub]
            if sub not in path:
                found = walk(sub, path + [sub])
                if found:
                    return found
        return None

    return walk(code, [code])


def holders(definitions: Mapping[str, Definition], code: str) -> set[str]:
    """Every group that holds `code`, however deep (those it may not hold in turn)."""
    inside: dict[str, set[str]] = {}
    for parent, definition in definitions.items():
        for sub in definition.subgroups:
            inside.setdefault(sub, set()).add(parent)
    found: set[str] = set()
    stack = [code]
    while stack:
        for parent in inside.get(stack.pop(), ()):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def group_problems(draft: GroupDraft, definitions: Mapping[str, Definition], countries: Iterable[str]) -> list[Problem]:
    """What stops a group being saved: its code and name, countries that are not countries,
    subgroups that are not groups, and a group that would end up inside itself. `definitions`
    are every other group as stored (code -> definition); `countries` every known country."""
    known = set(countries)
    problems = []
    if not _CODE.match(draft.code) or draft.code in _WORDS:
        problems.append(Problem("code", f"'{draft.code}' is not a group code (letters, digits and _, "
                                        "starting with a letter, 2 to 32 long, e.g. EMEA_SALES)"))
    elif draft.code in known or draft.code in TERRITORY_ALIASES:
        problems.append(Problem("code", f"{draft.code} is a country's code; a group needs a code of its own"))
    if not draft.name:
        problems.append(Problem("name", "a group needs a name"))
    unknown = sorted(draft.countries - known)
    if unknown:
        problems.append(Problem("countries", f"{', '.join(unknown)} "
                                             f"{_plural(len(unknown), 'is not a country code', 'are not country codes')}"))
    missing = sorted(draft.subgroups - set(definitions) - {draft.code})
    if missing:
        problems.append(Problem("groups", f"no group has the code {', '.join(missing)}"))
    if draft.code in draft.subgroups:
        problems.append(Problem("groups", f"{draft.code} cannot contain itself"))
    else:
        trial = dict(definitions)
        trial[draft.code] = Definition(frozenset(draft.countries), frozenset(draft.subgroups))
        loop = cycle(trial, draft.code)
        if loop:
            problems.append(Problem("groups", f"{draft.code} would end up inside itself: {' contains '.join(loop)}"))
    return problems


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


@dataclass(frozen=True)
class CoverageChange:
    """How the countries one right covers move when a group changes."""

    gained: frozenset[str]
    lost: frozenset[str]


def coverage_changes(
    scopes: Mapping[Hashable, TerritoryScope],
    before: Mapping[str, frozenset[str]],
    after: Mapping[str, frozenset[str]],
) -> dict[Hashable, CoverageChange]:
    """The rights (grants, holdbacks, licences: any key) whose countries change when the groups'
    countries go from `before` to `after`, with the countries each gains and loses."""
    changes = {}
    for key, scope in scopes.items():
        old, new = scope.countries(before), scope.countries(after)
        if old != new:
            changes[key] = CoverageChange(new - old, old - new)
    return changes


def definition_of(chosen: Iterable[str], candidates: Mapping[str, frozenset[str]], whole: Iterable[str]) -> Definition:
    """Chosen countries as a group's definition. The groups in `whole` (those it held before,
    the regions ticked or named whole) that may be nested (`candidates`: code -> countries) and
    are still wholly chosen are kept as groups, so the group follows them when they change; one
    inside another kept group, or equal to one with an earlier code, is left out. Every other
    country chosen is the group's own: ticking France, Germany and Italy one by one makes
    countries, not a group that happens to hold them."""
    wanted = frozenset(chosen)
    kept = sorted({c for c in whole if candidates.get(c) and candidates[c] <= wanted})
    subgroups = {c for c in kept if not any(
        o != c and candidates[c] <= candidates[o] and (candidates[c] != candidates[o] or o < c) for o in kept)}
    inside = frozenset().union(*(candidates[c] for c in subgroups))
    return Definition(wanted - inside, frozenset(subgroups))


def short_form(chosen: Iterable[str], groups: Mapping[str, frozenset[str]], *, world: str = "WORLD") -> str:
    """Chosen countries in the short form that reads back to exactly them (TerritoryScope.parse):
    'EUROPE excluding GB', 'SEA, US', 'WORLD excluding CN, HK, MO, TW'. Whichever is shorter of
    naming the whole groups inside the choice plus the other countries, or starting from the
    group that holds most of it and excluding what is not chosen. Empty text for no country."""
    wanted = frozenset(chosen)
    if not wanted:
        return ""
    options = [(_named(wanted, groups), [])]
    for code, members in groups.items():
        inside = members & wanted
        if members and len(inside) * 2 > len(members) and members != wanted:
            extra = _named(wanted - members, groups)
            options.append(([code] + extra, _named(members - wanted, groups)))
    included, excluded = min(options, key=lambda o: (len(o[0]) + len(o[1]), o[0] != [world], o))
    text = ", ".join(included)
    return f"{text} excluding {', '.join(excluded)}" if excluded else text


def _named(countries: frozenset[str], groups: Mapping[str, frozenset[str]]) -> list[str]:
    left = set(countries)
    names = []
    for code, members in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        if members and members <= left:
            names.append(code)
            left -= members
    return names + sorted(left)
