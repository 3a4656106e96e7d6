"""What the licensing reports read: expiring grants, music licences per title, localization
readiness, the catalogue. Plain rows; services/licensing_reports.py lays them out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.errors import Problem, ValidationError
from rightsdesk.domain.enums import DealDirection, DealStatus, LicenceStatus, LocalizationKind, LocalizationStatus
from rightsdesk.domain.localization import readiness
from rightsdesk.domain.rights import DealDraft, GrantDraft
from rightsdesk.domain.words import natural_key
from rightsdesk.persistence.models import (
    Deal,
    Grant,
    GrantLibrary,
    GrantTerritory,
    GrantTitle,
    Library,
    LibraryMember,
    LocalizationTask,
    MusicLicence,
    MusicLicenceMedia,
    MusicLicenceTerritory,
    Party,
    TerritoryGroup,
    Title,
)
from rightsdesk.services import deals, reference
from rightsdesk.services.music import cue_tallies
from rightsdesk.services.listing import chunks, contains, like_pattern


@dataclass(frozen=True)
class GrantLine:
    """A grant as a report describes it, with its deal."""

    deal_id: int
    deal_reference: str
    direction: DealDirection
    counterparty: str
    deal_status: DealStatus
    grant_id: int
    titles: str
    territories: str
    media: str
    languages: str
    exclusive: bool
    term_start: date | None
    term_end: date | None
    pending: str = ""  # a term waiting for its event, in words (then the dates it decides are None)


def describe_grant_titles(grant: GrantDraft, title_names: dict[int, str], library_names: dict[int, str]) -> str:
    parts = []
    for item in grant.titles:
        name = title_names.get(item.title_id, str(item.title_id))
        if item.first_episode or item.last_episode:
            name += f" ep. {item.first_episode or 1}–{item.last_episode or 'last'}"
        parts.append(name)
    parts += [f"library {library_names.get(i, i)}" for i in grant.libraries]
    return ", ".join(parts)


def expiring_grants(session: Session, *, today: date, days: int, direction: DealDirection | None = None) -> list[GrantLine]:
    """Grants of live deals whose term ends within `days` days from today (inclusive), soonest first."""
    query = (select(Grant.deal_id).join(Deal).where(Grant.term_end >= today, Grant.term_end <= today + timedelta(days=days))
             .where(Deal.status.in_([DealStatus.DRAFT, DealStatus.SIGNED])).distinct())
    if direction is not None:
        query = query.where(Deal.direction == direction)
    lines = [line for deal_id in session.scalars(query) for line in grant_lines(session, deals.load_deal(session, deal_id))
             if line.term_end is not None and today <= line.term_end <= today + timedelta(days=days)]
    return sorted(lines, key=lambda l: (l.term_end, l.deal_reference, l.grant_id))


def grant_lines(session: Session, draft: DealDraft) -> list[GrantLine]:
    """The grants of a deal (as loaded by deals.load_deal) in words."""
    counterparty = session.get(Party, draft.counterparty_id).name if draft.counterparty_id else ""
    titles = deals.title_names(session, sorted({t.title_id for g in draft.grants for t in g.titles}))
    libraries = {i: f"{code} {name}" for i, code, name in deals.library_choices(session)}
    return [GrantLine(draft.id or 0, draft.reference, draft.direction, counterparty, draft.status, grant.id or 0,
                      describe_grant_titles(grant, titles, libraries), grant.territories.describe(),
                      ", ".join(grant.media), ", ".join(grant.languages) or "any", grant.exclusive,
                      grant.term_start, grant.term_end, grant.pending)
            for grant in draft.grants]


def title_ids_in(session: Session, *, library_id: int | None = None, deal_id: int | None = None,
                 text: str = "", territory: str = "") -> list[int] | None:
    """Titles a report is narrowed to: members of a library, titles a deal grants (directly or
    through its libraries), titles licensed out in a country, names or IDs containing the text.
    None: no narrowing asked."""
    chosen: set[int] | None = None

    def narrow(ids: Sequence[int]) -> None:
        nonlocal chosen
        chosen = set(ids) if chosen is None else chosen & set(ids)

    if library_id is not None:
        narrow(session.scalars(select(LibraryMember.title_id).where(LibraryMember.library_id == library_id)).all())
    if deal_id is not None:
        direct = select(GrantTitle.title_id).join(Grant).where(Grant.deal_id == deal_id)
        via = (select(LibraryMember.title_id).join(GrantLibrary, GrantLibrary.library_id == LibraryMember.library_id)
               .join(Grant, Grant.id == GrantLibrary.grant_id).where(Grant.deal_id == deal_id))
        narrow(session.scalars(direct.union(via)).all())
    if territory.strip():
        narrow(titles_licensed_in(session, territory.strip().upper()))
    if text.strip():
        pattern = like_pattern(text.strip())
        narrow(session.scalars(select(Title.id).where(contains(Title.original_name)(pattern)
                                                      | contains(Title.internal_id)(pattern))).all())
    return None if chosen is None else sorted(chosen)


def titles_licensed_in(session: Session, country: str) -> list[int]:
    """Titles that live OUT deals license in a country (directly or through a library): the
    ones that must be localized for it."""
    groups = reference.territory_groups(session)
    live = list(session.scalars(select(Grant.id).join(Deal, Deal.id == Grant.deal_id).where(
        Deal.direction == DealDirection.OUT, Deal.status.in_([DealStatus.DRAFT, DealStatus.SIGNED]))))
    scopes = reference.territory_scopes(session, GrantTerritory, GrantTerritory.grant_id, live)
    grants = [g for g, scope in scopes.items() if country in scope.countries(groups)]
    titles: set[int] = set()
    for chunk in chunks(grants):
        titles.update(session.scalars(select(GrantTitle.title_id).where(GrantTitle.grant_id.in_(chunk))))
        titles.update(session.scalars(select(LibraryMember.title_id).join(
            GrantLibrary, GrantLibrary.library_id == LibraryMember.library_id).where(GrantLibrary.grant_id.in_(chunk))))
    return sorted(titles)


@dataclass(frozen=True)
class TrackUse:
    """A track used in a title, with the licences held for it."""

    title_id: int
    title: str
    track_id: int
    track: str
    episodes: list[int]
    cue_count: int
    licences: list[LicenceLine]


@dataclass(frozen=True)
class LicenceLine:
    id: int
    status: LicenceStatus
    rights: str  # sync, master or both
    licensor: str
    term_start: date | None
    term_end: date | None
    territories: str
    media: str
    fee: Decimal | None
    currency: str

    def in_force(self, day: date) -> bool:
        return (self.status is LicenceStatus.CLEARED and (self.term_start is None or self.term_start <= day)
                and (self.term_end is None or day <= self.term_end))


def music_uses(session: Session, title_ids: Sequence[int] | None = None) -> list[TrackUse]:
    """Every track used in the titles' cue sheets, with the episodes using it and its licences."""
    tallies = cue_tallies(session, title_ids)
    names = deals.title_names(session, sorted({t.title_id for t in tallies}))
    licences = _licences(session, sorted({t.track_id for t in tallies}))
    found = [TrackUse(t.title_id, names[t.title_id], t.track_id, t.track, sorted(t.episodes), t.cues,
                      licences.get(t.track_id, [])) for t in tallies]
    return sorted(found, key=lambda u: (u.title.casefold(), u.track.casefold()))


def _licences(session: Session, track_ids: list[int]) -> dict[int, list[LicenceLine]]:
    if not track_ids:
        return {}
    licences = session.scalars(select(MusicLicence).where(MusicLicence.track_id.in_(track_ids)).order_by(MusicLicence.id)).all()
    ids = [licence.id for licence in licences]
    groups = dict(session.execute(select(TerritoryGroup.id, TerritoryGroup.code)).all())
    parties = dict(session.execute(select(Party.id, Party.name)).all())
    scopes: dict[int, list[str]] = defaultdict(list)
    for item in session.scalars(select(MusicLicenceTerritory).where(MusicLicenceTerritory.licence_id.in_(ids))
                                .order_by(MusicLicenceTerritory.id)):
        code = groups.get(item.group_id, "") if item.group_id is not None else item.territory_code or ""
        scopes[item.licence_id].append(("−" if item.excluded else "") + code)
    media: dict[int, list[str]] = defaultdict(list)
    for licence_id, code in session.execute(select(MusicLicenceMedia.licence_id, MusicLicenceMedia.media_code)
                                            .where(MusicLicenceMedia.licence_id.in_(ids))):
        media[licence_id].append(code)
    found: dict[int, list[LicenceLine]] = defaultdict(list)
    for licence in licences:
        rights = " + ".join(r for r, held in (("sync", licence.covers_sync), ("master", licence.covers_master)) if held)
        found[licence.track_id].append(LicenceLine(
            licence.id, licence.status, rights, parties.get(licence.licensor_id, "") if licence.licensor_id else "",
            licence.term_start, licence.term_end, " ".join(scopes.get(licence.id, [])) or "—",
            ", ".join(sorted(media.get(licence.id, []))) or "all media", licence.fee, licence.currency or ""))
    return found


@dataclass
class ReadinessMatrix:
    """Titles × languages: for each cell, the readiness of each kind that has tasks."""

    titles: list[tuple[int, str]]  # (id, name)
    languages: list[str]
    cells: dict[tuple[int, str], dict[LocalizationKind, LocalizationStatus]] = field(default_factory=dict)
    overdue: dict[tuple[int, str], int] = field(default_factory=dict)  # tasks past their due date

    def status(self, title_id: int, language: str) -> LocalizationStatus | None:
        return readiness(self.cells.get((title_id, language), {}).values())


def readiness_narrowed(session: Session, *, deal: str = "", territory: str = "", library_id: int | None = None,
                       text: str = "", languages: Sequence[str] = (), today: date | None = None) -> ReadinessMatrix:
    """The readiness matrix of the titles the filters pick, as a user typed them: a deal by its
    reference, a country by its code (titles licensed out there), a library, words or IDs of
    names; every title when none is given. Raises ValidationError for a deal or a country that
    does not exist."""
    deal_id = deals.deal_id_of(session, deal.strip()) if deal.strip() else None
    if deal.strip() and deal_id is None:
        raise ValidationError([Problem("deal", f"There is no deal '{deal.strip()}'.")])
    territory = territory.strip().upper()
    if territory and territory not in reference.country_codes(session):
        raise ValidationError([Problem("territory", f"'{territory}' is not a country code.")])
    title_ids = title_ids_in(session, library_id=library_id, deal_id=deal_id, text=text, territory=territory)
    return readiness_matrix(session, title_ids=title_ids, languages=languages, today=today)


def readiness_matrix(session: Session, *, title_ids: Sequence[int] | None = None,
                     languages: Sequence[str] = (), today: date | None = None) -> ReadinessMatrix:
    query = select(LocalizationTask.title_id, LocalizationTask.language_tag, LocalizationTask.kind,
                   LocalizationTask.status, LocalizationTask.due_on)
    if title_ids is not None:
        query = query.where(LocalizationTask.title_id.in_(title_ids))
    if languages:
        query = query.where(LocalizationTask.language_tag.in_(languages))
    statuses: dict[tuple[int, str], dict[LocalizationKind, list[LocalizationStatus]]] = defaultdict(lambda: defaultdict(list))
    overdue: dict[tuple[int, str], int] = defaultdict(int)
    today = today or date.today()
    for title_id, language, kind, status, due in session.execute(query):
        statuses[(title_id, language)][kind].append(status)
        if due is not None and due < today and status is not LocalizationStatus.DELIVERED:
            overdue[(title_id, language)] += 1
    shown_ids = sorted({t for t, _ in statuses} | set(title_ids or ()))
    names = dict(session.execute(select(Title.id, Title.original_name).where(Title.id.in_(shown_ids))).all()) if shown_ids else {}
    # as people read names: "Temporada 2" before "Temporada 10" (equal names: the lower ID first)
    titles = sorted(((i, names.get(i, str(i))) for i in shown_ids), key=lambda t: (natural_key(t[1]), t[0]))
    matrix = ReadinessMatrix(titles, sorted({lang for _, lang in statuses} | set(languages)), overdue=dict(overdue))
    for key, kinds in statuses.items():
        matrix.cells[key] = {kind: readiness(found) for kind, found in kinds.items()}  # type: ignore[misc]
    return matrix


def library_of(session: Session, library_id: int) -> str:
    library = session.get(Library, library_id)
    return f"{library.code} {library.name}" if library else str(library_id)
