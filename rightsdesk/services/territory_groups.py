"""Territory groups: list, create, rename, change their countries and the groups inside them,
delete those nothing uses; and, before a change is saved, which grants, holdbacks and music
licences would cover other countries because of it. Rules: rightsdesk.domain.territory_groups.

Standard groups (WORLD, EU, the CLDR regions) can be edited like any other but not deleted:
the program learns the missing ones again at start.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain.enums import AuditAction
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.domain.territory_groups import (CoverageChange, Definition, GroupDraft, coverage_changes, expand,
                                                group_problems, normalize_group)
from rightsdesk.persistence.models import (Deal, Grant, GrantTerritory, Holdback, HoldbackTerritory, MusicLicence,
                                           MusicLicenceTerritory, MusicTrack, TerritoryGroup, TerritoryGroupMember,
                                           TerritoryGroupSubgroup)
from rightsdesk.services import audit, reference
from rightsdesk.services.listing import ListQuery

ENTITY = "territory group"


@dataclass(frozen=True)
class GroupRow:
    id: int
    code: str
    name: str
    standard: bool
    countries: int  # every country it covers, subgroups' included
    subgroups: tuple[str, ...]  # the groups directly inside it
    inside: tuple[str, ...]  # the groups it is directly inside
    used_by: int  # grants, holdbacks and music licences naming it


def group_rows(session: Session, text: str = "") -> list[GroupRow]:
    """Every territory group (or those whose code or name holds `text`), by code."""
    definitions = reference.group_definitions(session)
    covered = expand(definitions)
    inside: dict[str, list[str]] = defaultdict(list)
    for code, definition in definitions.items():
        for sub in definition.subgroups:
            inside[sub].append(code)
    uses = _use_counts(session)
    wanted = text.strip().casefold()
    rows = []
    for group_id, code, name, standard in session.execute(
            select(TerritoryGroup.id, TerritoryGroup.code, TerritoryGroup.name, TerritoryGroup.is_standard)
            .order_by(TerritoryGroup.code)):
        if wanted and wanted not in code.casefold() and wanted not in name.casefold():
            continue
        rows.append(GroupRow(group_id, code, name, standard, len(covered.get(code, ())),
                             tuple(sorted(definitions[code].subgroups)), tuple(sorted(inside.get(code, ()))),
                             uses.get(group_id, 0)))
    return rows


def find_group_ids(session: Session, query: ListQuery) -> list[int]:
    """The groups whose code or name holds the filter text, in the list's order: `query.sort`
    names a GroupRow field (groups inside or holding it sort by their codes), anything else
    sorts by code; ties by code. Tens of groups: sorted here, not in SQL."""
    rows = group_rows(session, query.text)
    key = query.sort if query.sort in GroupRow.__dataclass_fields__ and query.sort != "id" else "code"

    def value(row: GroupRow) -> object:
        found = getattr(row, key)
        if isinstance(found, tuple):
            found = ", ".join(found)
        return found.casefold() if isinstance(found, str) else found

    rows.sort(key=lambda r: r.code)
    rows.sort(key=value, reverse=query.descending)
    return [r.id for r in rows]


def group_rows_of(session: Session, ids: Sequence[int]) -> dict[int, GroupRow]:
    """The list's rows of these groups, by ID (those deleted meanwhile left out)."""
    wanted = set(ids)
    return {r.id: r for r in group_rows(session) if r.id in wanted}


def load_group(session: Session, group_id: int) -> GroupDraft:
    group = session.get(TerritoryGroup, group_id, options=[selectinload(TerritoryGroup.members)])
    if group is None:
        raise NotFound(f"territory group {group_id} no longer exists")
    return _draft_of(session, group)


def _draft_of(session: Session, group: TerritoryGroup) -> GroupDraft:
    codes = dict(session.execute(select(TerritoryGroup.id, TerritoryGroup.code)).all())
    return GroupDraft(group.code, group.name, {m.territory_code for m in group.members},
                      {codes[s.member_group_id] for s in group.subgroups}, id=group.id, version=group.version)


# -- what a change does ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AffectedRight:
    """A grant, holdback or music licence whose countries a group change moves."""

    kind: str  # "grant", "holdback", "music licence"
    label: str  # "OUT-2026-004 grant 2 (Flash Marriage)"
    deal_id: int | None
    gained: tuple[str, ...]
    lost: tuple[str, ...]

    def describe(self) -> str:
        parts = []
        if self.gained:
            parts.append(f"gains {', '.join(self.gained)}")
        if self.lost:
            parts.append(f"loses {', '.join(self.lost)}")
        return f"{self.label}: {' and '.join(parts)}"


def coverage_preview(session: Session, draft: GroupDraft) -> list[AffectedRight]:
    """The rights whose countries would change if `draft` were saved (the group itself, or a group
    holding it, named in their territories), each with the countries gained and lost; nothing
    is written. Refused with every problem when the draft cannot be saved."""
    draft = normalize_group(dataclasses.replace(draft, countries=set(draft.countries), subgroups=set(draft.subgroups)))
    definitions = reference.group_definitions(session)
    previous = _code_of(session, draft.id)
    _check(session, draft, definitions, previous)
    after = _renamed(definitions, previous, draft.code)
    after.pop(previous or draft.code, None)
    after[draft.code] = Definition(frozenset(draft.countries), frozenset(draft.subgroups))
    before_countries, after_countries = expand(definitions), expand(after)
    if previous and previous != draft.code:  # rights name the group by id: they read the old code as the new
        after_countries[previous] = after_countries[draft.code]
    return _affected(session, before_countries, after_countries)


def _affected(session: Session, before: dict[str, frozenset[str]], after: dict[str, frozenset[str]]) -> list[AffectedRight]:
    changed = {code for code in set(before) | set(after) if before.get(code) != after.get(code)}
    ids = dict(session.execute(select(TerritoryGroup.code, TerritoryGroup.id)).all())
    changed_ids = {ids[c] for c in changed if c in ids}
    if not changed_ids:
        return []
    found: list[AffectedRight] = []
    for kind, table, owner in _SCOPES:
        owners = sorted(set(session.scalars(select(owner).where(table.group_id.in_(changed_ids)))))
        if not owners:
            continue
        changes = coverage_changes(reference.territory_scopes(session, table, owner, owners), before, after)
        labels = _labels(session, kind, set(changes))
        for key, change in sorted(changes.items(), key=lambda kv: labels[kv[0]][0]):
            found.append(AffectedRight(kind, labels[key][0], labels[key][1], *_sorted(change)))
    return found


_SCOPES = (("grant", GrantTerritory, GrantTerritory.grant_id),
           ("holdback", HoldbackTerritory, HoldbackTerritory.holdback_id),
           ("music licence", MusicLicenceTerritory, MusicLicenceTerritory.licence_id))


def _sorted(change: CoverageChange) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(sorted(change.gained)), tuple(sorted(change.lost))


def _labels(session: Session, kind: str, keys: set[Hashable]) -> dict[Hashable, tuple[str, int | None]]:
    """How a person finds each right: the deal's reference and the grant's place in the deal."""
    if not keys:
        return {}
    if kind == "music licence":
        return {lid: (f"music licence for {title}", None) for lid, title in session.execute(
            select(MusicLicence.id, MusicTrack.title).join(MusicTrack).where(MusicLicence.id.in_(keys)))}
    grant_of = ({k: k for k in keys} if kind == "grant" else dict(session.execute(
        select(Holdback.id, Holdback.grant_id).where(Holdback.id.in_(keys))).all()))
    deals = set(session.scalars(select(Grant.deal_id).where(Grant.id.in_(set(grant_of.values())))))
    places: dict[int, tuple[str, int, int]] = {}  # grant -> (deal reference, deal id, place in the deal)
    counted: dict[int, int] = defaultdict(int)
    for grant_id, deal_id, ref in session.execute(
            select(Grant.id, Grant.deal_id, Deal.reference).join(Deal)
            .where(Grant.deal_id.in_(deals)).order_by(Grant.deal_id, Grant.id)):
        counted[deal_id] += 1
        places[grant_id] = (ref, deal_id, counted[deal_id])
    out = {}
    for key, grant_id in grant_of.items():
        ref, deal_id, place = places[grant_id]
        text = f"{ref} grant {place}"
        out[key] = (text if kind == "grant" else f"holdback of {text}", deal_id)
    return out


# -- saving and deleting --------------------------------------------------------------------------


def _code_of(session: Session, group_id: int | None) -> str | None:
    if group_id is None:
        return None
    code = session.scalar(select(TerritoryGroup.code).where(TerritoryGroup.id == group_id))
    if code is None:
        raise NotFound(f"territory group {group_id} was deleted by someone else")
    return code


def _renamed(definitions: dict[str, Definition], previous: str | None, code: str) -> dict[str, Definition]:
    """The groups with those holding a renamed group naming it by its new code (they hold it by id)."""
    if not previous or previous == code:
        return dict(definitions)
    return {c: dataclasses.replace(d, subgroups=frozenset(code if s == previous else s for s in d.subgroups))
            for c, d in definitions.items()}


def _check(session: Session, draft: GroupDraft, definitions: dict[str, Definition], previous: str | None) -> None:
    others = {code: d for code, d in _renamed(definitions, previous, draft.code).items() if code != previous}
    problems = group_problems(draft, others, reference.country_codes(session))
    if draft.code in others:
        problems.append(Problem("code", f"another group has the code {draft.code}"))
    if problems:
        raise ValidationError(problems)


def save_group(session: Session, draft: GroupDraft, *, user: str) -> int:
    """Create or change a territory group: code, name, its own countries and the groups inside
    it. Refused (ValidationError, every problem) for a code taken or malformed, unknown
    countries or groups, or a group that would end up inside itself; refused (Conflict) when
    someone saved the group since `draft.version`. Audited with before and after."""
    draft = normalize_group(dataclasses.replace(draft, countries=set(draft.countries), subgroups=set(draft.subgroups)))
    definitions = reference.group_definitions(session)
    previous = _code_of(session, draft.id)
    _check(session, draft, definitions, previous)
    ids = dict(session.execute(select(TerritoryGroup.code, TerritoryGroup.id)).all())
    if draft.id is None:
        group, before = TerritoryGroup(is_standard=False), None
        session.add(group)
    else:
        group = audit.still_current(session, session.get(TerritoryGroup, draft.id, options=[
            selectinload(TerritoryGroup.members)]), draft, "territory group", "territory group")
        before = _snapshot(_draft_of(session, group))
        flag_modified(group, "name")  # the version moves even when only countries or subgroups change
    group.code, group.name = draft.code, draft.name
    kept = {m.territory_code: m for m in group.members}
    group.members = [kept.get(c) or TerritoryGroupMember(territory_code=c) for c in sorted(draft.countries)]
    session.flush()
    ids[draft.code] = group.id
    kept_subs = {s.member_group_id: s for s in group.subgroups}
    group.subgroups = [kept_subs.get(ids[s]) or TerritoryGroupSubgroup(member_group_id=ids[s])
                       for s in sorted(draft.subgroups)]
    try:
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, "territory group", draft.id or 0) from error
    after = _snapshot(_draft_of(session, group))
    if before != after:
        audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                     entity="territory group", entity_id=group.id, summary=f"{group.code} {group.name}",
                     before=before, after=after)
    return group.id


def group_uses(session: Session, group_id: int) -> list[str]:
    """What names the group, as a person finds it: 'OUT-2026-004 grant 2', 'holdback of ...',
    'music licence for Rain Theme', 'group EUROPE'."""
    uses = []
    for kind, table, owner in _SCOPES:
        keys = set(session.scalars(select(owner).where(table.group_id == group_id)))
        uses += sorted(label for label, _ in _labels(session, kind, keys).values())  # type: ignore[arg-type]
    uses += [f"group {code}" for code in session.scalars(
        select(TerritoryGroup.code).join(TerritoryGroupSubgroup, TerritoryGroupSubgroup.group_id == TerritoryGroup.id)
        .where(TerritoryGroupSubgroup.member_group_id == group_id).order_by(TerritoryGroup.code))]
    return uses


def delete_group(session: Session, group_id: int, *, user: str) -> None:
    """Delete a group nothing names: refused for a standard group, and for one a grant, holdback,
    music licence or other group uses (every use named)."""
    group = session.get(TerritoryGroup, group_id)
    if group is None:
        raise NotFound(f"territory group {group_id} no longer exists")
    if group.is_standard:
        raise UserError(f"{group.code} is a standard group and cannot be deleted (it would come back at the next "
                        "start); change its countries instead")
    uses = group_uses(session, group_id)
    if uses:
        shown = ", ".join(uses[:10]) + (f" and {len(uses) - 10} more" if len(uses) > 10 else "")
        raise UserError(f"{group.code} is in use and cannot be deleted: {shown}")
    before = _snapshot(_draft_of(session, group))
    session.delete(group)
    session.flush()
    audit.record(session, user=user, action=AuditAction.DELETE, entity="territory group", entity_id=group_id,
                 summary=f"{before['code']} {before['name']}", before=before, after=None)


def _use_counts(session: Session) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for _, table, owner in _SCOPES:
        for group_id, n in session.execute(select(table.group_id, func.count(func.distinct(owner)))
                                           .where(table.group_id.is_not(None)).group_by(table.group_id)):
            counts[group_id] += n
    return counts


def _snapshot(draft: GroupDraft) -> dict[str, Any]:
    return {"code": draft.code, "name": draft.name, "countries": sorted(draft.countries),
            "groups": sorted(draft.subgroups)}


# -- what the tree picker shows -------------------------------------------------------------------


@dataclass(frozen=True)
class PickerGroup:
    code: str
    name: str
    subgroups: tuple[str, ...]  # the groups directly inside it, by name
    countries: tuple[str, ...]  # its own countries, by name
    covers: frozenset[str]  # every country it covers


@dataclass(frozen=True)
class PickerTree:
    """Regions to countries, for the tree picker: every group, and the groups at the top of the
    tree (those in no other group, WORLD left out: the continents first, then groups of groups,
    then the plain groups)."""

    countries: dict[str, str]  # code -> name
    groups: dict[str, PickerGroup]
    roots: tuple[str, ...]

    def covered(self) -> dict[str, frozenset[str]]:
        return {code: group.covers for code, group in self.groups.items()}


def picker_tree(session: Session) -> PickerTree:
    countries = dict(reference.countries(session))
    definitions = reference.group_definitions(session)
    covered = expand(definitions)
    names = dict(session.execute(select(TerritoryGroup.code, TerritoryGroup.name)).all())
    standard = set(session.scalars(select(TerritoryGroup.code).where(TerritoryGroup.is_standard)))
    # A region stays at the top whatever user groups hold it: EUROPE held by EMEA_SALES is
    # still found where Europe is, not only under EMEA_SALES.
    inside = {sub for code, d in definitions.items() for sub in d.subgroups if code in standard or sub not in standard}
    groups = {code: PickerGroup(code, names[code], tuple(sorted(d.subgroups, key=lambda c: names.get(c, c))),
                                tuple(sorted(d.countries, key=lambda c: countries.get(c, c))), covered[code])
              for code, d in definitions.items()}
    roots = sorted((c for c in groups if c not in inside and c != "WORLD"),
                   key=lambda c: (not groups[c].subgroups, c not in standard, names[c]))
    return PickerTree(countries, groups, tuple(roots))
