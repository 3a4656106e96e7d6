"""Deals and their grants: listing, loading, saving with validation and conflict checks, deleting.

Saving an OUT deal checks every one of its grants against the rights already there (see
rightsdesk.domain.conflicts). A deal whose grants clash can be kept as a draft, with the clashes
handed back as warnings; it cannot be saved as signed until they are resolved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain import conflicts
from rightsdesk.domain.avails import Coverage, term_text
from rightsdesk.domain.conflicts import Clash
from rightsdesk.domain.changes import Difference, differences
from rightsdesk.domain.enums import AuditAction, DealDirection, DealStatus, TermAnchor, WindowStatus
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.domain.media import MediaCodes, media_codes
from rightsdesk.domain.rights import (
    DealDraft,
    GrantDraft,
    GrantTitleDraft,
    HoldbackDraft,
    deal_problems,
    episode_range,
)
from rightsdesk.domain import terms
from rightsdesk.domain.terms import OptionDraft, parse_duration
from rightsdesk.domain.territories import LISTED, ScopeItem, TerritoryScope, describe_countries
from rightsdesk.persistence.models import (
    Deal,
    Grant,
    GrantLanguage,
    GrantLibrary,
    GrantMedia,
    GrantOption,
    GrantTerritory,
    GrantTitle,
    Holdback,
    HoldbackMedia,
    HoldbackTerritory,
    Library,
    LibraryMember,
    Party,
    ReleaseWindow,
    RoyaltyTerms,
    Title,
    TerritoryGroup,
)
from rightsdesk.services import audit, reference
from rightsdesk.services.avails import load_rights, rights_grants
from rightsdesk.services.listing import ListQuery, contains, matching_ids

ENTITY = "deal"


class RightsConflict(UserError):
    """A signed deal would license rights it may not; carries every clash, described."""

    def __init__(self, clashes: list[str]):
        self.clashes = clashes
        super().__init__(
            f"{len(clashes)} clash(es) with rights already granted or held; keep the deal as a draft "
            "or change the grants:\n" + "\n".join(f"• {c}" for c in clashes)
        )


@dataclass(frozen=True)
class SavedDeal:
    deal_id: int
    # warnings: a draft's clashes, or those of a signed deal whose rights this save left as they were
    clashes: list[str] = field(default_factory=list)


# -- listing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealRow:
    id: int
    reference: str
    direction: DealDirection
    counterparty: str
    status: DealStatus
    signed_on: date | None
    currency: str
    grant_count: int
    term_start: date | None
    term_end: date | None
    open_ended: bool
    pending: int = 0  # grants whose term waits for its event (their dates unknown)


_grant_count = select(func.count(Grant.id)).where(Grant.deal_id == Deal.id).scalar_subquery()
_counterparty = select(Party.name).where(Party.id == Deal.counterparty_id).scalar_subquery()
DEAL_SORT = {
    "reference": Deal.reference, "direction": Deal.direction, "counterparty": _counterparty,
    "status": Deal.status, "signed_on": Deal.signed_on, "currency": Deal.currency, "grant_count": _grant_count,
    "term": select(func.min(Grant.term_start)).where(Grant.deal_id == Deal.id).scalar_subquery(),
}


def find_deal_ids(session: Session, query: ListQuery = ListQuery(), direction: DealDirection | None = None) -> list[int]:
    ids = select(Deal.id) if direction is None else select(Deal.id).where(Deal.direction == direction)
    return matching_ids(
        session, ids, query,
        searchable=[contains(Deal.reference), contains(_counterparty), contains(Deal.status),
                    contains(Deal.direction), contains(Deal.notes)],
        sortable=DEAL_SORT, tiebreak=Deal.id,
    )


def deal_rows(session: Session, ids: Sequence[int]) -> dict[int, DealRow]:
    if not ids:
        return {}
    terms = (
        select(Grant.deal_id, func.count(Grant.id).label("count"), func.min(Grant.term_start).label("start"),
               func.max(Grant.term_end).label("end"),
               func.count(case((Grant.term_end.is_(None), 1))).label("open"),
               func.count(case(((Grant.term_anchor.is_not(None)) & Grant.term_anchor_on.is_(None), 1))).label("pending"))
        .where(Grant.deal_id.in_(ids)).group_by(Grant.deal_id).subquery()
    )
    statement = (
        select(Deal, Party.name, terms.c.count, terms.c.start, terms.c.end, terms.c.open, terms.c.pending)
        .join(Party, Party.id == Deal.counterparty_id).outerjoin(terms, terms.c.deal_id == Deal.id)
        .where(Deal.id.in_(ids))
    )
    return {
        deal.id: DealRow(deal.id, deal.reference, deal.direction, party, deal.status, deal.signed_on, deal.currency,
                         count or 0, start, end, bool(open_), pending or 0)
        for deal, party, count, start, end, open_, pending in session.execute(statement)
    }


def counterparty_choices(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, kind) of every party a deal can be with."""
    return [(i, n, k.value) for i, n, k in session.execute(select(Party.id, Party.name, Party.kind).order_by(Party.name))]


def library_choices(session: Session) -> list[tuple[int, str, str]]:
    return list(session.execute(select(Library.id, Library.code, Library.name).order_by(Library.code)).all())


def deal_references(session: Session) -> list[str]:
    return list(session.scalars(select(Deal.reference).order_by(Deal.reference)))


def deal_id_of(session: Session, text: str) -> int | None:
    """A deal from what a user typed: its reference or its number."""
    found = session.scalar(select(Deal.id).where(Deal.reference == text.strip()))
    if found is None and text.strip().isdigit():
        found = session.scalar(select(Deal.id).where(Deal.id == int(text)))
    return found


def title_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {i: f"{name} ({code})" for i, code, name in
            session.execute(select(Title.id, Title.internal_id, Title.original_name).where(Title.id.in_(ids)))}


# -- loading ------------------------------------------------------------------------------------


def load_deal(session: Session, deal_id: int) -> DealDraft:
    deal = session.get(Deal, deal_id, options=[selectinload(Deal.grants).selectinload(r) for r in (
        Grant.titles, Grant.libraries, Grant.territories, Grant.media, Grant.languages, Grant.options)] + [
        selectinload(Deal.grants).selectinload(Grant.holdbacks).selectinload(Holdback.media),
        selectinload(Deal.grants).selectinload(Grant.holdbacks).selectinload(Holdback.territories)])
    if deal is None:
        raise NotFound(f"deal {deal_id} no longer exists")
    return _draft_of(session, deal)


def _draft_of(session: Session, deal: Deal) -> DealDraft:
    codes = dict(session.execute(select(TerritoryGroup.id, TerritoryGroup.code)).all())

    def scope(items: Sequence[GrantTerritory | HoldbackTerritory]) -> TerritoryScope:
        ordered = sorted(items, key=lambda i: i.id or 0)
        return TerritoryScope(tuple(ScopeItem(codes[i.group_id] if i.group_id is not None else i.territory_code or "",
                                              i.group_id is not None, i.excluded) for i in ordered))

    return DealDraft(
        id=deal.id, version=deal.version, direction=deal.direction, counterparty_id=deal.counterparty_id,
        reference=deal.reference, signed_on=deal.signed_on, status=deal.status, currency=deal.currency,
        notes=deal.notes,
        grants=[GrantDraft(
            id=g.id, version=g.version,
            titles=[GrantTitleDraft(t.title_id, t.first_episode, t.last_episode) for t in sorted(g.titles, key=lambda t: t.title_id)],
            libraries=sorted(lib.library_id for lib in g.libraries), territories=scope(g.territories),
            media=sorted(m.media_code for m in g.media), languages=sorted(lang.language_tag for lang in g.languages),
            term_start=g.term_start, term_end=g.term_end, exclusive=g.exclusive,
            sublicensing_allowed=g.sublicensing_allowed, notes=g.notes,
            holdbacks=[HoldbackDraft(
                id=h.id, media=sorted(m.media_code for m in h.media), territories=scope(h.territories),
                starts_on=h.starts_on, ends_on=h.ends_on, after_release_of=h.after_release_of,
                days_after_release=h.days_after_release, description=h.description) for h in g.holdbacks],
            term_anchor=g.term_anchor, term_anchor_media=g.term_anchor_media, term_anchor_on=g.term_anchor_on,
            term_start_offset=g.term_start_offset, term_duration=g.term_duration,
            options=[OptionDraft(o.extend_by, o.exercise_by, o.notice_days, o.exercised_on, o.exercised_by, o.notes, o.id)
                     for o in sorted(g.options, key=lambda o: o.id)],
        ) for g in sorted(deal.grants, key=lambda g: g.id)],
    )


# -- saving -------------------------------------------------------------------------------------


def save_deal(session: Session, draft: DealDraft, *, user: str) -> SavedDeal:
    """Create or update a deal with its grants. Refuses a draft that breaks a rule (every
    problem listed), a save over someone else's newer change, and a signed OUT deal whose
    grants clash with rights already there."""
    known = reference.known(session)
    media = media_codes(known.media)
    draft = _normalized(draft, media)
    problems = deal_problems(draft, known)
    problems += _reference_problems(session, draft)
    saved = session.get(Deal, draft.id) if draft.id is not None else None
    saved_draft = _draft_of(session, saved) if saved is not None else None
    problems += _option_problems(saved_draft, draft)
    if problems:
        raise ValidationError(problems)

    if draft.id is None:
        deal = Deal(direction=draft.direction)
        session.add(deal)
        before = None
    else:
        deal = audit.still_current(session, saved, draft, ENTITY, "deal")
        before = _snapshot(saved_draft)
    deal.direction, deal.counterparty_id, deal.reference = draft.direction, draft.counterparty_id, draft.reference
    deal.signed_on, deal.status, deal.currency, deal.notes = draft.signed_on, draft.status, draft.currency, draft.notes
    group_ids = dict(session.execute(select(TerritoryGroup.code, TerritoryGroup.id)).all())
    try:
        _apply_grants(session, deal, draft.grants, group_ids)
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, ENTITY, draft.id or 0) from error

    clashes = check_deal(session, deal.id, known.groups) if draft.direction is DealDirection.OUT else []
    if clashes and draft.status is DealStatus.SIGNED and not _rights_as_signed(saved_draft, draft, media):
        raise RightsConflict(clashes)

    saved_now = _draft_of(session, deal)
    after = _snapshot(saved_now)
    if before != after:
        audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                     entity=ENTITY, entity_id=deal.id, summary=deal.reference, before=before, after=after)
        _record_term_events(session, saved_draft, saved_now, user=user)
    return SavedDeal(deal.id, clashes)


def _rights_as_signed(saved: DealDraft | None, draft: DealDraft, media: MediaCodes) -> bool:
    """Whether a save leaves a deal signed with the very rights it was signed with (same grants,
    same signature day): a notes or reference edit. Such a save is never refused for a clash,
    since the clash comes from something signed later; it is returned as a warning instead
    (issue 18)."""
    return (saved is not None and saved.status is DealStatus.SIGNED and saved.signed_on == draft.signed_on
            and _normalized(saved, media).grants == draft.grants)


def check_deal(session: Session, deal_id: int, groups: dict[str, frozenset[str]]) -> list[str]:
    """Every clash of the deal's grants with other rights (and with each other), described."""
    grant_ids = list(session.scalars(select(Grant.id).where(Grant.deal_id == deal_id).order_by(Grant.id)))
    described = []
    for number, grant_id in enumerate(grant_ids, start=1):
        reach = _reach(session, grant_id, groups)
        if not reach:
            continue
        rights = load_rights(session, reach, groups, include_deal=deal_id, without_grants=[grant_id])
        found = conflicts.clashes(reach, rights)
        names = title_names(session, sorted({c.title_id for c in found}))
        which = f"Grant {number}: " if len(grant_ids) > 1 else ""  # as the deal editor lists them
        described += [which + c.describe(names.get(c.title_id, str(c.title_id)), describe_countries(c.territories, groups, limit=LISTED))
                      for c in sorted(found, key=_clash_order)]
    return described


def _clash_order(clash: Clash) -> tuple[Any, ...]:
    return (clash.title_id, clash.start or date.min, clash.status.value, sorted(clash.media))


def _reach(session: Session, grant_id: int, groups: dict[str, frozenset[str]]) -> dict[int, Coverage]:
    """How one grant reaches each of its titles (libraries by their members' dates)."""
    grant = rights_grants(session, {grant_id}, groups)[grant_id]
    reach = {}
    for title_id, first, last in session.execute(
            select(GrantTitle.title_id, GrantTitle.first_episode, GrantTitle.last_episode).where(GrantTitle.grant_id == grant_id)):
        reach[title_id] = Coverage(grant, None, None, episode_range(first, last))
    members = (select(LibraryMember.title_id, LibraryMember.added_on, LibraryMember.removed_on, Library.code)
               .join(GrantLibrary, GrantLibrary.library_id == LibraryMember.library_id)
               .join(Library, Library.id == LibraryMember.library_id).where(GrantLibrary.grant_id == grant_id))
    for title_id, added, removed, code in session.execute(members):
        reach.setdefault(title_id, Coverage(grant, added, removed, None, code))
    return reach


def _reference_problems(session: Session, draft: DealDraft) -> list[Problem]:
    problems = []
    others = select(Deal.id).where(Deal.reference == draft.reference)
    if draft.id is not None:
        others = others.where(Deal.id != draft.id)
    if session.scalar(others):
        problems.append(Problem("reference", f"'{draft.reference}' is another deal's reference"))
    if draft.counterparty_id is not None and session.get(Party, draft.counterparty_id) is None:
        problems.append(Problem("counterparty", "the counterparty no longer exists"))
    titles = {t.title_id for g in draft.grants for t in g.titles}
    existing = set(session.scalars(select(Title.id).where(Title.id.in_(titles)))) if titles else set()
    problems += [Problem("titles", f"title {t} no longer exists") for t in sorted(titles - existing)]
    return problems


def _normalized(draft: DealDraft, media: MediaCodes) -> DealDraft:
    """The draft as it will be stored: media codes as stored, whatever the case they were typed in."""
    return dataclasses.replace(
        draft, reference=draft.reference.strip(), currency=draft.currency.strip().upper(),
        direction=DealDirection(draft.direction), status=DealStatus(draft.status),
        grants=[_with_event_term(dataclasses.replace(
                    g, media=media.all_as_stored(g.media),
                    languages=sorted({lang.strip() for lang in g.languages if lang.strip()}),
                    holdbacks=[dataclasses.replace(h, media=media.all_as_stored(h.media),
                                                   after_release_of=_one_as_stored(media, h.after_release_of))
                               for h in g.holdbacks],
                    options=[dataclasses.replace(o, extend_by=_iso(o.extend_by) or "", notes=o.notes.strip())
                             for o in g.options]), draft.signed_on, media)
                for g in draft.grants],
    )


def _iso(text: str | None) -> str | None:
    """A duration as stored (ISO 8601, 'P5Y') from what was typed ('5 years'); text that does
    not read is kept as typed for validation to name."""
    if text is None or not text.strip():
        return None
    try:
        return parse_duration(text).iso()
    except ValueError:
        return text.strip()


def _with_event_term(grant: GrantDraft, signed_on: date | None, media: MediaCodes) -> GrantDraft:
    """A grant whose term counts from an event, with what the event fixes filled in: a term
    from signature counts from the deal's signature date; once the event has a date, the
    computed start and end replace the typed ones (the end extended by each exercised option);
    while it has none they are unknown and left empty. Fixed terms are left as they are."""
    if grant.term_anchor is None:
        return grant
    grant = dataclasses.replace(
        grant, term_anchor=TermAnchor(grant.term_anchor),
        term_anchor_media=_one_as_stored(media, grant.term_anchor_media),
        term_start_offset=_iso(grant.term_start_offset), term_duration=_iso(grant.term_duration))
    if grant.term_anchor is TermAnchor.SIGNATURE:
        grant.term_anchor_on = signed_on
    term = grant.event_term()
    if term is None or grant.term_anchor_on is None:
        return grant  # unreadable (validation says why) or pending: typed dates are checked, not kept
    exercised = [parse_duration(o.extend_by) for o in sorted(grant.options, key=lambda o: (o.exercised_on or date.max, o.id or 0))
                 if o.exercised_on is not None and _reads(o.extend_by)]
    computed = terms.computed_term(term, grant.term_anchor_on, grant.term_start, grant.term_end, exercised)
    grant.term_start, grant.term_end = computed.start, computed.end
    return grant


def _reads(text: str) -> bool:
    try:
        parse_duration(text)
    except ValueError:
        return False
    return True


def _option_problems(saved: DealDraft | None, draft: DealDraft) -> list[Problem]:
    """Options exercised in this edit: on time, once, on a term with a known end, and the term
    extended by them (an end counted from an event is extended by _with_event_term; a fixed end
    must be the saved end extended). An exercised option stays exercised and cannot be removed."""
    saved_grants = {g.id: g for g in saved.grants} if saved is not None else {}
    problems = []
    for number, grant in enumerate(draft.grants, start=1):
        before = saved_grants.get(grant.id)
        if before is None:
            continue
        kept = {o.id: o for o in grant.options if o.id is not None}
        for old in before.options:
            if old.exercised_on is None:
                continue
            now = kept.get(old.id)
            if now is None or (now.exercised_on, now.extend_by) != (old.exercised_on, old.extend_by):
                problems.append(Problem(f"grant {number}: option", f"the option exercised on {old.exercised_on} "
                                        "is part of the term now: it cannot be removed, undone or changed"))
        was_open = {o.id for o in before.options if o.exercised_on is None}
        new = [o for o in grant.options if o.id in was_open and o.exercised_on is not None]
        if not new:
            continue
        term = grant.event_term()
        counted = term is not None and term.length is not None
        # an end counted from the event is the one dated in this edit (extended already)
        end = grant.term_end if counted else before.term_end
        for option in new:
            unexercised = dataclasses.replace(option, exercised_on=None, exercised_by="")
            problem = terms.exercise_problem(unexercised, option.exercised_on, end, grant.pending if counted else "")
            if problem:
                problems.append(Problem(f"grant {number}: option", problem))
                break
            if not counted and end is not None and _reads(option.extend_by):
                end = terms.extended_end(end, parse_duration(option.extend_by))
        else:
            if not counted and grant.term_end != end:
                problems.append(Problem(f"grant {number}: term",
                                        f"exercising the option makes the term end on {end}, not {grant.term_end}"))
    return problems


def _record_term_events(session: Session, before: DealDraft | None, after: DealDraft, *, user: str) -> None:
    """An audit entry of its own for each event dated (and the term it computes) and each
    option exercised, besides the deal's: these are what people look for in a deal's history."""
    saved = {g.id: g for g in before.grants} if before is not None else {}
    for number, grant in enumerate(after.grants, start=1):
        old = saved.get(grant.id)
        which = f"grant {number}" if len(after.grants) > 1 else "its grant"  # as the deal editor lists them
        term = grant.event_term()
        if term is not None and grant.term_anchor_on is not None and (old is None or old.term_anchor_on != grant.term_anchor_on):
            summary = (f"{after.reference}: {terms.event_name(term.anchor, term.media)} on {grant.term_anchor_on}, "
                       f"{which} runs {term_text(grant.term_start, grant.term_end)} ({term.describe()})")
            audit.record(session, user=user, action=AuditAction.UPDATE, entity=ENTITY, entity_id=after.id or 0,
                         summary=summary, before={"grant": grant.id, "term_anchor_on": None if old is None else audit.jsonable(old.term_anchor_on),
                                                  "term_start": audit.jsonable(old.term_start) if old else None,
                                                  "term_end": audit.jsonable(old.term_end) if old else None},
                         after={"grant": grant.id, "term_anchor_on": grant.term_anchor_on.isoformat(),
                                "term_start": audit.jsonable(grant.term_start), "term_end": audit.jsonable(grant.term_end)})
        was_open = {o.id for o in old.options if o.exercised_on is None} if old is not None else set()
        for option in grant.options:
            if option.id in was_open and option.exercised_on is not None:
                summary = (f"{after.reference}: option exercised on {option.exercised_on} by {option.exercised_by or user}, "
                           f"{which} extended by {parse_duration(option.extend_by).describe()} to {grant.term_end}")
                audit.record(session, user=user, action=AuditAction.UPDATE, entity=ENTITY, entity_id=after.id or 0,
                             summary=summary, before={"grant": grant.id, "term_end": audit.jsonable(old.term_end) if old else None},
                             after={"grant": grant.id, "term_end": audit.jsonable(grant.term_end),
                                    "option": audit.snapshot(option)})


def _one_as_stored(media: MediaCodes, code: str | None) -> str | None:
    """One media code as stored (None when empty)."""
    return media.as_stored(code) or None if code else None


def _apply_grants(session: Session, deal: Deal, drafts: list[GrantDraft], group_ids: dict[str, int]) -> None:
    existing = {g.id: g for g in deal.grants}
    kept = {d.id for d in drafts if d.id in existing}
    for grant_id, grant in existing.items():
        if grant_id not in kept:
            deal.grants.remove(grant)
        else:
            # Lines of a grant carry no identity of their own: they are replaced wholesale, the
            # old ones deleted first so that a line kept as it was does not trip a unique key.
            for lines in (grant.titles, grant.libraries, grant.territories, grant.media, grant.languages,
                          grant.holdbacks):
                lines.clear()
    session.flush()
    for draft in drafts:
        grant = existing.get(draft.id) if draft.id is not None else None
        if grant is None:
            grant = Grant()
            deal.grants.append(grant)
        grant.exclusive, grant.sublicensing_allowed, grant.notes = draft.exclusive, draft.sublicensing_allowed, draft.notes
        grant.term_start, grant.term_end = draft.term_start, draft.term_end
        grant.term_anchor, grant.term_anchor_media = draft.term_anchor, draft.term_anchor_media
        grant.term_anchor_on = draft.term_anchor_on
        grant.term_start_offset, grant.term_duration = draft.term_start_offset, draft.term_duration
        _apply_options(grant, draft.options)
        grant.titles = [GrantTitle(title_id=t.title_id, first_episode=t.first_episode, last_episode=t.last_episode)
                        for t in draft.titles]
        grant.libraries = [GrantLibrary(library_id=lib) for lib in draft.libraries]
        grant.territories = [GrantTerritory(**reference.scope_row(i, group_ids)) for i in draft.territories.items]
        grant.media = [GrantMedia(media_code=m) for m in draft.media]
        grant.languages = [GrantLanguage(language_tag=lang) for lang in draft.languages]
        grant.holdbacks = [Holdback(
            starts_on=h.starts_on, ends_on=h.ends_on, after_release_of=h.after_release_of,
            days_after_release=h.days_after_release, description=h.description,
            media=[HoldbackMedia(media_code=m) for m in h.media],
            territories=[HoldbackTerritory(**reference.scope_row(i, group_ids)) for i in h.territories.items],
        ) for h in draft.holdbacks]


def _apply_options(grant: Grant, drafts: list[OptionDraft]) -> None:
    """Options keep their identity (an exercised option is history): updated in place by id,
    the others added, the ones gone removed."""
    existing = {o.id: o for o in grant.options}
    kept = []
    for draft in drafts:
        option = existing.get(draft.id) if draft.id is not None else None
        if option is None:
            option = GrantOption()
        option.extend_by, option.exercise_by, option.notice_days = draft.extend_by, draft.exercise_by, draft.notice_days
        option.exercised_on, option.exercised_by, option.notes = draft.exercised_on, draft.exercised_by, draft.notes
        kept.append(option)
    grant.options = kept


def compare_with_saved(session: Session, draft: DealDraft) -> list[Difference]:
    """How an edited deal differs from the deal as saved now (someone else's newer save):
    `before` is the saved value, `after` the edited one."""
    if draft.id is None or session.get(Deal, draft.id) is None:
        return []
    return differences(_snapshot(load_deal(session, draft.id)), _snapshot(draft))


def _snapshot(draft: DealDraft) -> dict[str, Any]:
    """A deal as the audit log keeps it: plain JSON, territories in their short form."""
    data = audit.snapshot(draft)
    for grant, source in zip(data["grants"], draft.grants):
        grant.pop("version")
        grant["territories"] = source.territories.describe()
        for holdback, held in zip(grant["holdbacks"], source.holdbacks):
            holdback.pop("id")
            holdback["territories"] = held.territories.describe()
    return data


# -- events and options -------------------------------------------------------------------------


def _grant_in(draft: DealDraft, grant_id: int) -> GrantDraft:
    found = next((g for g in draft.grants if g.id == grant_id), None)
    if found is None:
        raise NotFound("this grant no longer exists: someone deleted it meanwhile")
    return found


def enter_event_date(session: Session, grant_id: int, on: date, *, user: str) -> SavedDeal:
    """The day a grant's term counts from happened (delivered, first released): the term is
    computed from it and saved through save_deal, audited (with an entry naming the event),
    and a signed OUT deal is checked for clashes again (refused when the term now clashes)."""
    deal_id = session.scalar(select(Grant.deal_id).where(Grant.id == grant_id))
    if deal_id is None:
        raise NotFound("this grant no longer exists: someone deleted it meanwhile")
    draft = load_deal(session, deal_id)
    grant = _grant_in(draft, grant_id)
    if grant.term_anchor is None:
        raise ValidationError([Problem("term", "this grant's term is not counted from an event")])
    if grant.term_anchor is TermAnchor.SIGNATURE:
        raise ValidationError([Problem("term", "a term counted from signature takes the deal's signature date: "
                                               "enter it on the deal")])
    grant.term_anchor_on = on
    return save_deal(session, draft, user=user)


def exercise_option(session: Session, option_id: int, *, on: date, user: str) -> SavedDeal:
    """Exercise an option to extend a grant's term, on `on` (the day notice was given): the
    term's end moves by the option's length (domain/terms.py), saved through save_deal and
    audited. Refused after the option's notice deadline, a second time, on an open end or
    while the end waits for its event; a signed OUT deal is checked for clashes again."""
    grant_id = session.scalar(select(GrantOption.grant_id).where(GrantOption.id == option_id))
    if grant_id is None:
        raise NotFound("this option no longer exists: someone deleted it meanwhile")
    draft = load_deal(session, session.scalar(select(Grant.deal_id).where(Grant.id == grant_id)))
    grant = _grant_in(draft, grant_id)
    option = next(o for o in grant.options if o.id == option_id)
    try:
        grant.term_end = terms.exercise(option, on, user, grant.term_end, grant.pending)
    except ValueError as error:
        raise ValidationError([Problem("option", str(error))]) from error
    return save_deal(session, draft, user=user)


def proposed_event_date(session: Session, grant: GrantDraft) -> date | None:
    """A date for the grant's event that the records already hold: for a first release, the
    earliest release (actual start) of a released window on that media of the grant's titles;
    for signature, the deal's own date (see _with_event_term); else None."""
    if grant.term_anchor is not TermAnchor.FIRST_RELEASE or not grant.term_anchor_media:
        return None
    titles = [t.title_id for t in grant.titles]
    if grant.libraries:
        titles += list(session.scalars(select(LibraryMember.title_id).where(LibraryMember.library_id.in_(grant.libraries))))
    if not titles:
        return None
    return session.scalar(select(func.min(ReleaseWindow.actual_start)).where(
        ReleaseWindow.title_id.in_(titles), ReleaseWindow.media_code == grant.term_anchor_media,
        ReleaseWindow.status == WindowStatus.RELEASED, ReleaseWindow.actual_start.is_not(None)))


@dataclass(frozen=True)
class OptionDue:
    """An option not yet exercised whose deadline is near."""

    option_id: int
    deal_id: int
    deal_reference: str
    counterparty: str
    grant_id: int
    extend_by: str  # in words
    exercise_by: date
    notice_days: int
    deadline: date  # the last day to exercise it: exercise_by less the notice


def options_due(session: Session, today: date, days: int) -> list[OptionDue]:
    """Options of signed deals, not exercised, whose deadline (the notice deadline, the day the
    option must be exercised by with its notice) falls from today to `days` days on, soonest first."""
    rows = session.execute(
        select(GrantOption, Grant.id, Deal.id, Deal.reference, Party.name)
        .join(Grant, Grant.id == GrantOption.grant_id).join(Deal, Deal.id == Grant.deal_id)
        .join(Party, Party.id == Deal.counterparty_id)
        .where(Deal.status == DealStatus.SIGNED, GrantOption.exercised_on.is_(None)))
    due = []
    for option, grant_id, deal_id, reference_, party in rows:
        deadline = terms.notice_deadline(option.exercise_by, option.notice_days)
        if today <= deadline <= today + timedelta(days=days):
            try:
                length = parse_duration(option.extend_by).describe()
            except ValueError:
                length = option.extend_by
            due.append(OptionDue(option.id, deal_id, reference_, party, grant_id, length, option.exercise_by,
                                 option.notice_days, deadline))
    return sorted(due, key=lambda d: (d.deadline, d.deal_reference, d.option_id))


def delete_deal(session: Session, deal_id: int, *, user: str) -> None:
    deal = session.get(Deal, deal_id)
    if deal is None:
        raise NotFound(f"deal {deal_id} no longer exists")
    terms = session.scalar(select(func.count()).where(RoyaltyTerms.deal_id == deal_id))
    if terms:
        raise UserError(f"{deal.reference} has royalty terms and may have statements; it cannot be deleted. "
                        "Mark it terminated instead.")
    before = _snapshot(_draft_of(session, deal))
    session.execute(ReleaseWindow.__table__.update().where(
        ReleaseWindow.grant_id.in_(select(Grant.id).where(Grant.deal_id == deal_id))).values(grant_id=None))
    session.delete(deal)
    audit.record(session, user=user, action=AuditAction.DELETE, entity=ENTITY, entity_id=deal_id,
                 summary=deal.reference, before=before, after=None)
