"""Avails from the database: load the grants that reach the asked titles, ask the engine.

Which deals count: only signed ones. A draft deal is an intention, and an expired or
terminated one no longer holds rights; the deal being edited can be counted on request so
that its own grants are checked against each other before it is signed.

Libraries: a grant of a library reaches a title on the days the title is a member of the
library (LibraryMember.added_on to removed_on, inclusive) and inside the grant's term. A title
added to a library later is therefore covered by an existing library grant from the day it
joins, and stops being covered the day after it leaves.

Holdbacks: a holdback counted from a release ("no FAST until 90 days after the APP release")
runs from the grant's start (or the holdback's own start) to the day before the 90th day after
the title's first release on the anchor media in that territory: the earliest actual start,
else planned start, of a release window that is not cancelled. Until such a release is
planned the holdback has no end, and the reason says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.domain import avails
from rightsdesk.domain.avails import (
    AvailsQuery,
    AvailsResult,
    Coverage,
    DateMatch,
    Restriction,
    RightsGrant,
    Status,
    TitleRights,
)
from rightsdesk.domain.enums import DealStatus, LicenceStatus, TermAnchor, WindowStatus
from rightsdesk.domain.terms import Duration, EventTerm, parse_duration
from rightsdesk.domain.localization import Task as LocalizationTaskScope
from rightsdesk.domain.localization import localization_restrictions
from rightsdesk.domain.music import LicenceScope, TrackUse, clearance_restrictions
from rightsdesk.domain.errors import NotFound, Problem, ValidationError
from rightsdesk.domain.rights import episode_range
from rightsdesk.domain.territories import TerritoryScope, describe_countries
from rightsdesk.persistence.models import (
    Deal,
    Episode,
    Grant,
    GrantLanguage,
    GrantLibrary,
    GrantMedia,
    GrantTerritory,
    GrantTitle,
    Holdback,
    HoldbackMedia,
    HoldbackTerritory,
    Library,
    LibraryMember,
    LocalizationTask,
    MusicLicence,
    MusicLicenceMedia,
    MusicLicenceTerritory,
    Party,
    ReleaseWindow,
    Title,
)
from rightsdesk.services import reference
from rightsdesk.services.music import cue_tallies
from rightsdesk.services.catalogue import find_title_ids, title_id_of
from rightsdesk.services.listing import CHUNK, ListQuery, chunks



def load_rights(
    session: Session,
    title_ids: Iterable[int],
    groups: dict[str, frozenset[str]],
    *,
    include_deal: int | None = None,
    without_grants: Iterable[int] = (),
    music: bool = False,
    localized_in: Sequence[str] = (),
    grants_only: bool = False,
) -> dict[int, TitleRights]:
    """Everything that decides the avails of these titles, by title; with `music`, where their
    music is not cleared, and with `localized_in`, when they are not localized in those languages.
    With `grants_only`, only the grants that reach them (what a statement run asks)."""
    ids = sorted(set(title_ids))
    skipped = set(without_grants)
    counted = Deal.status == DealStatus.SIGNED
    if include_deal is not None:
        counted = or_(counted, Deal.id == include_deal)
    reach: list[tuple[int, int, tuple[int, int] | None, date | None, date | None, str | None]] = []
    for chunk in chunks(ids):
        direct = (
            select(GrantTitle.title_id, GrantTitle.grant_id, GrantTitle.first_episode, GrantTitle.last_episode)
            .join(Grant, Grant.id == GrantTitle.grant_id).join(Deal, Deal.id == Grant.deal_id)
            .where(GrantTitle.title_id.in_(chunk), counted)
        )
        for title_id, grant_id, first, last in session.execute(direct):
            reach.append((title_id, grant_id, episode_range(first, last), None, None, None))
        through_library = (
            select(LibraryMember.title_id, GrantLibrary.grant_id, LibraryMember.added_on,
                   LibraryMember.removed_on, Library.code)
            .join(GrantLibrary, GrantLibrary.library_id == LibraryMember.library_id)
            .join(Library, Library.id == LibraryMember.library_id)
            .join(Grant, Grant.id == GrantLibrary.grant_id).join(Deal, Deal.id == Grant.deal_id)
            .where(LibraryMember.title_id.in_(chunk), counted)
        )
        for title_id, grant_id, added, removed, code in session.execute(through_library):
            reach.append((title_id, grant_id, None, added, removed, code))
    reach = [r for r in reach if r[1] not in skipped]

    grants = rights_grants(session, {r[1] for r in reach}, groups)
    rights = {title_id: TitleRights(title_id, 0) for title_id in ids}
    if grants_only:
        for title_id, grant_id, episodes, added, removed, library in reach:
            rights[title_id].coverages.append(Coverage(grants[grant_id], added, removed, episodes, library))
        return rights
    for title_id, count in _episode_counts(session, ids).items():
        rights[title_id].episode_count = count
    reached_by: dict[int, list[int]] = defaultdict(list)
    for title_id, grant_id, episodes, added, removed, library in reach:
        rights[title_id].coverages.append(Coverage(grants[grant_id], added, removed, episodes, library))
        reached_by[grant_id].append(title_id)
    for title_id, restriction in _holdbacks(session, grants, reached_by, groups):
        rights[title_id].restrictions.append(restriction)
    if music or localized_in:
        countries, media = reference.country_codes(session), reference.media_codes(session)
        if music:
            for title_id, restriction in music_restrictions(session, ids, groups, countries, media):
                rights[title_id].restrictions.append(restriction)
        if localized_in:
            tasks = localization_tasks(session, ids)
            for title_id in ids:
                rights[title_id].restrictions += localization_restrictions(
                    tasks.get(title_id, []), localized_in, countries=countries, media=media)
    return rights


def music_restrictions(session: Session, title_ids: Sequence[int], groups: dict[str, frozenset[str]],
                       countries: Iterable[str], media: Iterable[str]) -> Iterable[tuple[int, Restriction]]:
    """Where each title's music is not cleared (domain/music.py), from its cue sheets and the
    licences of the tracks they use."""
    tallies = cue_tallies(session, title_ids)
    if not tallies:
        return
    track_ids = sorted({t.track_id for t in tallies})
    licences = []
    for chunk in chunks(track_ids):
        licences += session.execute(
            select(MusicLicence.id, MusicLicence.track_id, MusicLicence.status, MusicLicence.covers_sync,
                   MusicLicence.covers_master, MusicLicence.term_start, MusicLicence.term_end)
            .where(MusicLicence.track_id.in_(chunk), MusicLicence.status == LicenceStatus.CLEARED)).all()
    licence_ids = [row[0] for row in licences]
    scopes = reference.territory_scopes(session, MusicLicenceTerritory, MusicLicenceTerritory.licence_id, licence_ids)
    licence_media = _codes(session, MusicLicenceMedia.licence_id, MusicLicenceMedia.media_code, licence_ids)
    held: dict[int, list[LicenceScope]] = defaultdict(list)  # by track: a title looks up only its own
    for i, track_id, status, sync, master, start, end in licences:
        held[track_id].append(LicenceScope(track_id, status, sync, master, scopes.get(i, TerritoryScope()).countries(groups),
                                           frozenset(licence_media.get(i, ())), start, end))
    countries, media = frozenset(countries), frozenset(media)
    by_title: dict[int, list[TrackUse]] = defaultdict(list)
    for tally in tallies:
        by_title[tally.title_id].append(TrackUse(tally.track_id, tally.track, tuple(sorted(tally.episodes))))
    for title_id, uses in by_title.items():
        for restriction in clearance_restrictions(sorted(uses, key=lambda u: u.track.casefold()),
                                                  [h for u in uses for h in held.get(u.track_id, ())],
                                                  countries=countries, media=media):
            yield title_id, restriction


def localization_tasks(session: Session, title_ids: Sequence[int]) -> dict[int, list[LocalizationTaskScope]]:
    found: dict[int, list[LocalizationTaskScope]] = defaultdict(list)
    for chunk in chunks(title_ids):
        rows = session.execute(select(LocalizationTask.title_id, LocalizationTask.language_tag, LocalizationTask.kind,
                                      LocalizationTask.status, LocalizationTask.delivered_on)
                               .where(LocalizationTask.title_id.in_(chunk)))
        for title_id, language, kind, status, delivered in rows:
            found[title_id].append(LocalizationTaskScope(language, kind, status, delivered))
    return found


def rights_grants(session: Session, grant_ids: set[int], groups: dict[str, frozenset[str]]) -> dict[int, RightsGrant]:
    """The grants as the engine sees them, territories expanded."""
    if not grant_ids:
        return {}
    ids = sorted(grant_ids)
    scopes = reference.territory_scopes(session, GrantTerritory, GrantTerritory.grant_id, ids)
    media = _codes(session, GrantMedia.grant_id, GrantMedia.media_code, ids)
    languages = _codes(session, GrantLanguage.grant_id, GrantLanguage.language_tag, ids)
    result = {}
    for chunk in chunks(ids):
        # A grant is named by its place in its deal ("grant 2 of 3"), never by its row number.
        deals_of_chunk = select(Grant.deal_id).where(Grant.id.in_(chunk))
        numbered = select(Grant.id, func.row_number().over(partition_by=Grant.deal_id, order_by=Grant.id).label("n"),
                          func.count().over(partition_by=Grant.deal_id).label("of")).where(
            Grant.deal_id.in_(deals_of_chunk)).subquery()
        rows = session.execute(
            select(Grant.id, Grant.deal_id, Deal.reference, Party.name, Deal.direction, Grant.exclusive,
                   Grant.term_start, Grant.term_end, numbered.c.n, numbered.c.of, Grant.term_anchor,
                   Grant.term_anchor_media, Grant.term_anchor_on, Grant.term_start_offset, Grant.term_duration,
                   Deal.signed_on)
            .join(Deal, Deal.id == Grant.deal_id).join(Party, Party.id == Deal.counterparty_id)
            .join(numbered, numbered.c.id == Grant.id)
            .where(Grant.id.in_(chunk))
        )
        for grant_id, deal_id, ref, party, direction, exclusive, start, end, n, of, *event in rows:
            pending, start, end = _pending_term(start, end, *event)
            result[grant_id] = RightsGrant(
                grant_id, deal_id, ref, party, direction, exclusive,
                scopes.get(grant_id, TerritoryScope()).countries(groups),
                frozenset(media.get(grant_id, ())), frozenset(languages.get(grant_id, ())), start, end, pending,
                position=f", grant {n} of {of}" if of > 1 else "",
            )
    return result


def _pending_term(start: date | None, end: date | None, anchor: TermAnchor | None, media: str | None,
                  event_on: date | None, offset: str | None, length: str | None,
                  signed_on: date | None) -> tuple[str, date | None, date | None]:
    """(words, earliest start, end) of a term waiting for its event; ('', start, end) of a known
    one. What the event decides is unknown: an event-counted start is taken as the deal's
    signature at the earliest (a grant is not counted from before its deal), an event-counted
    end as open."""
    if anchor is None or (event_on or (signed_on if anchor is TermAnchor.SIGNATURE else None)) is not None:
        return "", start, end
    try:
        term = EventTerm(anchor, media, parse_duration(offset) if offset else None,
                         parse_duration(length) if length else None)
    except ValueError:  # written by something other than the deal service: still pending, still said
        term = EventTerm(anchor, media, Duration(), None)
    return term.pending_text(), signed_on if offset else start, None if length else end


def _holdbacks(session: Session, grants: dict[int, RightsGrant], reached_by: dict[int, list[int]],
               groups: dict[str, frozenset[str]]) -> Iterable[tuple[int, Restriction]]:
    holdbacks = list(session.scalars(select(Holdback).where(Holdback.grant_id.in_(list(grants))))) if grants else []
    if not holdbacks:
        return
    ids = [h.id for h in holdbacks]
    scopes = reference.territory_scopes(session, HoldbackTerritory, HoldbackTerritory.holdback_id, ids)
    media = _codes(session, HoldbackMedia.holdback_id, HoldbackMedia.media_code, ids)
    anchors = {h.after_release_of for h in holdbacks if h.after_release_of}
    titles = {t for h in holdbacks for t in reached_by[h.grant_id]}
    releases = first_releases(session, titles, anchors) if anchors else {}
    for holdback in holdbacks:
        grant = grants[holdback.grant_id]
        held_media = frozenset(media.get(holdback.id, ()))
        countries = scopes.get(holdback.id, TerritoryScope()).countries(groups)
        start = holdback.starts_on or grant.start
        what = holdback.description or f"no {', '.join(sorted(held_media))}"
        source = f"holdback of {grant.deal_reference}{grant.position} ({grant.counterparty})"
        for title_id in reached_by[holdback.grant_id]:
            if holdback.after_release_of is None:
                periods = {holdback.ends_on: countries}
            else:
                periods = defaultdict(set)
                for country in countries:
                    periods[releases.get((title_id, country, holdback.after_release_of))].add(country)
            for key, territories in periods.items():
                if holdback.after_release_of is None:
                    end, when = key, f"until {key}"
                elif key is None:  # (the description usually says "until 90 days after the APP release" already)
                    end, when = None, f"the {holdback.after_release_of} release is not planned yet"
                else:
                    end = key + timedelta(days=(holdback.days_after_release or 0) - 1)
                    when = f"until {end}: {holdback.days_after_release} days after the {holdback.after_release_of} release on {key}"
                yield title_id, Restriction(
                    Status.HOLDBACK, frozenset(territories), held_media, start, end,
                    f"{source}: {what} ({when})", grant.grant_id, grant.deal_id, grant.deal_reference,
                )


def first_releases(session: Session, title_ids: Iterable[int], media: Iterable[str]) -> dict[tuple[int, str, str], date]:
    """(title, territory, media) -> the first day it was (or is planned to be) released."""
    released = func.min(func.coalesce(ReleaseWindow.actual_start, ReleaseWindow.planned_start))
    result = {}
    for chunk in chunks(sorted(title_ids)):
        rows = session.execute(
            select(ReleaseWindow.title_id, ReleaseWindow.territory_code, ReleaseWindow.media_code, released)
            .where(ReleaseWindow.title_id.in_(chunk), ReleaseWindow.media_code.in_(list(media)),
                   ReleaseWindow.status != WindowStatus.CANCELLED)
            .group_by(ReleaseWindow.title_id, ReleaseWindow.territory_code, ReleaseWindow.media_code)
        )
        result.update({(t, c, m): d for t, c, m, d in rows})
    return result


def _codes(session: Session, owner: object, code: object, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        for owner_id, value in session.execute(select(owner, code).where(owner.in_(chunk))):  # type: ignore[attr-defined]
            found[owner_id].append(value)
    return found


def _episode_counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
    counts = {}
    for chunk in chunks(ids):
        counts.update(session.execute(
            select(Episode.title_id, func.count()).where(Episode.title_id.in_(chunk)).group_by(Episode.title_id)
        ).all())
    return counts


# -- questions as people ask them -------------------------------------------------------------


@dataclass(frozen=True)
class AvailsRequest:
    """An avails question in the user's words: titles or a library, a territory scope as typed."""

    territories: str
    start: date
    end: date | None
    titles: tuple[int, ...] = ()
    library_id: int | None = None
    media: tuple[str, ...] = ()  # none: every active media
    languages: tuple[str, ...] = ()
    exclusive: bool = False
    match: DateMatch = DateMatch.WHOLE_TERM
    music: bool = False  # also: is the music cleared there and then
    localized_in: tuple[str, ...] = ()  # also: is the title localized in these languages (BCP 47)


@dataclass
class AvailsAnswer:
    request: AvailsRequest
    result: AvailsResult
    title_names: dict[int, str]
    title_codes: dict[int, str]
    groups: dict[str, frozenset[str]] = field(repr=False)

    def describe_territories(self, countries: Iterable[str]) -> str:
        return describe_countries(countries, self.groups)


def ask(session: Session, request: AvailsRequest) -> AvailsAnswer:
    """Answer an avails question; bad titles, territories or media are refused with every problem."""
    groups = reference.territory_groups(session)
    scope = TerritoryScope.parse(request.territories, groups)
    problems = []
    countries = reference.country_codes(session)
    for item in scope.items:
        if not item.is_group and item.code not in countries:
            problems.append(Problem("territory", f"'{item.code}' is neither a country code nor a territory group"))
    territories = scope.countries(groups)
    if not problems and not territories:
        problems.append(Problem("territory", "name at least one territory"))
    known_media = reference.known_media(session)
    # a medium named in any case is asked as stored ('INFLIGHT' is inflight); every media a
    # question does not name: those still offered (a retired medium is asked by name)
    media = (tuple(known_media.as_stored(code) for code in request.media)
             or tuple(reference.media_codes(session, retired=False)))
    problems += [Problem("media", f"'{code}' is not a known media") for code in media if code not in known_media]
    if request.end is not None and request.end < request.start:
        problems.append(Problem("dates", f"the term ends ({request.end}) before it starts ({request.start})"))
    titles = _asked_titles(session, request, problems)
    if problems:
        raise ValidationError(problems)
    query = AvailsQuery(
        titles=titles, territories=tuple(sorted(territories)), media=media, start=request.start, end=request.end,
        languages=frozenset(request.languages), exclusive=request.exclusive, match=request.match,
    )
    rights = load_rights(session, titles, groups, music=request.music, localized_in=request.localized_in)
    names = dict(session.execute(select(Title.id, Title.original_name).where(Title.id.in_(titles))).all()) if len(titles) < CHUNK else {}
    codes = dict(session.execute(select(Title.id, Title.internal_id).where(Title.id.in_(titles))).all()) if len(titles) < CHUNK else {}
    return AvailsAnswer(request, avails.answer(query, rights.values()), names, codes, groups)


GRID_TITLES = 2000  # the most titles one answer is drawn for (a grid row each)


def ask_typed(session: Session, request: AvailsRequest, typed: str, *, most: int = GRID_TITLES) -> AvailsAnswer:
    """`ask` with the titles as a user typed them in one box (`titles_typed`: IDs, or words of
    names), unless the request names a library. More than `most` titles matching is refused
    (ValidationError on 'titles': narrow the search or choose a library)."""
    if request.library_id is not None:
        return ask(session, request)
    titles = titles_typed(session, typed)
    if len(titles) > most:
        raise ValidationError([Problem("titles", f"{len(titles)} titles match; narrow the search "
                                                 f"(at most {most}) or choose a library")])
    return ask(session, replace(request, titles=tuple(titles)))


def _asked_titles(session: Session, request: AvailsRequest, problems: list[Problem]) -> tuple[int, ...]:
    if request.library_id is not None:
        if session.get(Library, request.library_id) is None:
            raise NotFound(f"there is no library {request.library_id}")
        # Titles that are in the library at some time during the asked term.
        members = select(LibraryMember.title_id).where(
            LibraryMember.library_id == request.library_id,
            or_(LibraryMember.removed_on.is_(None), LibraryMember.removed_on >= request.start),
        )
        if request.end is not None:
            members = members.where(LibraryMember.added_on <= request.end)
        return tuple(session.scalars(members.order_by(LibraryMember.title_id)))
    if not request.titles:
        problems.append(Problem("titles", "name at least one title or a library"))
    existing = set(session.scalars(select(Title.id).where(Title.id.in_(request.titles)))) if request.titles else set()
    problems += [Problem("titles", f"there is no title {t}") for t in request.titles if t not in existing]
    return tuple(dict.fromkeys(request.titles))


def titles_matching(session: Session, text: str) -> list[int]:
    """What a user typed for a title: the one it names by ID, else every title whose names
    contain the words typed, by name, a title named exactly so (case aside) first: "Temporada
    15" typed in full is that title, not "Temporada 5" of an ID like T003151 that holds "15"."""
    try:
        return [resolve_title(session, text)]
    except NotFound:
        found = find_title_ids(session, ListQuery(text=text, sort="original_name"))
        exact = title_id_of(session, text)
        return [exact, *(i for i in found if i != exact)] if exact is not None else found


def titles_typed(session: Session, typed: str) -> list[int]:
    """Titles from what a user typed in one box: IDs separated by commas or spaces
    (`T000001 T000002`, `T000001, T000002`), or, between commas, words of a name (`bride, CEO`).
    A part whose every word is a title's ID is those titles; any other part is searched by name.
    In the order typed, each title once."""
    titles: list[int] = []
    for part in (p.strip() for p in typed.split(",")):
        if not part:
            continue
        words = part.split()
        ids = []
        for word in words if len(words) > 1 else []:
            try:
                ids.append(resolve_title(session, word))
            except NotFound:
                break
        titles += ids if ids and len(ids) == len(words) else titles_matching(session, part)
    return list(dict.fromkeys(titles))


def resolve_title(session: Session, text: str) -> int:
    """A title from what a user typed: its internal ID (T000123) or database number."""
    found = session.scalar(select(Title.id).where(Title.internal_id == text.strip()))
    if found is None and text.strip().isdigit():
        found = session.scalar(select(Title.id).where(Title.id == int(text)))
    if found is None:
        raise NotFound(f"there is no title '{text}'")
    return found
