"""Music: what the cue sheets say (which tracks each title uses, where), the tracks with their
writers and publishers, and the licences that clear them, with fees booked as deal expenses."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain.enums import AuditAction, CreditRole, ExpenseCategory, LicenceStatus
from rightsdesk.domain.errors import NotFound, Problem, ValidationError
from rightsdesk.domain.media import media_codes
from rightsdesk.domain.music import CreditDraft, LicenceDraft, licence_problems, share_problems, standing
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.persistence.models import (
    Cue,
    Episode,
    MusicLicence,
    MusicLicenceMedia,
    MusicLicenceTerritory,
    MusicTrack,
    TerritoryGroup,
    TrackCredit,
)
from rightsdesk.services import audit, reference, royalty_terms
from rightsdesk.services.listing import ListQuery, chunks, contains, like_pattern, matching_ids


@dataclass
class CueTally:
    """The cues of one track in one title."""

    title_id: int
    track_id: int
    track: str
    episodes: set[int] = field(default_factory=set)
    cues: int = 0


def cue_tallies(session: Session, title_ids: Sequence[int] | None = None) -> list[CueTally]:
    """Every (title, track) pair of the titles' cue sheets (every title's when None)."""
    tallies: dict[tuple[int, int], CueTally] = {}
    for chunk in [None] if title_ids is None else chunks(title_ids):
        query = (select(Episode.title_id, Cue.track_id, MusicTrack.title, Episode.number)
                 .join(Cue, Cue.episode_id == Episode.id).join(MusicTrack, MusicTrack.id == Cue.track_id))
        if chunk is not None:
            query = query.where(Episode.title_id.in_(chunk))
        for title_id, track_id, track, number in session.execute(query):
            tally = tallies.setdefault((title_id, track_id), CueTally(title_id, track_id, track))
            tally.episodes.add(number)
            tally.cues += 1
    return list(tallies.values())



# -- tracks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackRow:
    id: int
    title: str
    isrc: str
    writers: str
    publishers: str
    titles: int  # how many series use it
    cues: int
    clearance: str  # the furthest any of its licences has got


@dataclass
class TrackDraft:
    title: str
    isrc: str = ""
    iswc: str = ""
    credits: list[CreditDraft] = field(default_factory=list)
    notes: str = ""
    id: int | None = None
    version: int | None = None  # what the editor loaded; None for a new track


_cue_count = select(func.count(Cue.id)).where(Cue.track_id == MusicTrack.id).correlate(MusicTrack).scalar_subquery()
_title_count = (select(func.count(distinct(Episode.title_id))).join(Cue, Cue.episode_id == Episode.id)
                .where(Cue.track_id == MusicTrack.id).correlate(MusicTrack).scalar_subquery())
TRACK_SORT = {"title": MusicTrack.title, "isrc": MusicTrack.isrc, "titles": _title_count, "cues": _cue_count}
# The licence status that says most about a track, best first.
_STANDING = (LicenceStatus.CLEARED, LicenceStatus.QUOTED, LicenceStatus.REQUESTED, LicenceStatus.DENIED,
             LicenceStatus.EXPIRED, LicenceStatus.NOT_REQUESTED)


def find_track_ids(session: Session, query: ListQuery = ListQuery()) -> list[int]:
    credit_names = select(TrackCredit.track_id)
    return matching_ids(session, select(MusicTrack.id), query, searchable=[
        contains(MusicTrack.title), contains(MusicTrack.isrc),
        lambda pattern: MusicTrack.id.in_(credit_names.where(TrackCredit.name.ilike(pattern, escape="\\")))],
        sortable=TRACK_SORT, tiebreak=MusicTrack.id)


def track_rows(session: Session, ids: Sequence[int], today: date | None = None) -> dict[int, TrackRow]:
    if not ids:
        return {}
    today = today or date.today()
    credits: dict[int, list[TrackCredit]] = defaultdict(list)
    for credit in session.scalars(select(TrackCredit).where(TrackCredit.track_id.in_(ids)).order_by(TrackCredit.id)):
        credits[credit.track_id].append(credit)
    statuses: dict[int, set[LicenceStatus]] = defaultdict(set)
    for track_id, status, term_end in session.execute(select(MusicLicence.track_id, MusicLicence.status, MusicLicence.term_end)
                                                      .where(MusicLicence.track_id.in_(ids))):
        statuses[track_id].add(standing(status, term_end, today))
    rows = {}
    for track_id, title, isrc, titles, cues in session.execute(
            select(MusicTrack.id, MusicTrack.title, MusicTrack.isrc, _title_count, _cue_count).where(MusicTrack.id.in_(ids))):
        held = credits.get(track_id, [])
        best = next((s for s in _STANDING if s in statuses.get(track_id, ())), None)
        rows[track_id] = TrackRow(
            track_id, title, isrc or "",
            "; ".join(c.name for c in held if c.role is not CreditRole.PUBLISHER and c.role is not CreditRole.LABEL),
            "; ".join(c.name for c in held if c.role is CreditRole.PUBLISHER), titles, cues,
            best.value.replace("_", " ") if best else "no licence")
    return rows


def track_choices(session: Session, text: str = "", limit: int = 30) -> list[tuple[int, str]]:
    """Tracks whose title contains the text, for a cue's track box."""
    query = select(MusicTrack.id, MusicTrack.title).order_by(func.lower(MusicTrack.title), MusicTrack.id).limit(limit)
    if text.strip():
        query = query.where(contains(MusicTrack.title)(like_pattern(text.strip())))
    return [(i, t) for i, t in session.execute(query)]


def load_track(session: Session, track_id: int) -> TrackDraft:
    track = session.get(MusicTrack, track_id)
    if track is None:
        raise NotFound(f"music track {track_id} no longer exists")
    return TrackDraft(track.title, track.isrc or "", track.iswc or "",
                      [CreditDraft(c.role, c.name, c.share_percent, c.society, c.ipi)
                       for c in sorted(track.credits, key=lambda c: c.id)], track.notes, track.id, track.version)


def save_track(session: Session, draft: TrackDraft, *, user: str) -> int:
    problems = [Problem("title", "a track needs a title")] if not draft.title.strip() else []
    problems += [Problem("credits", f"credit {n} needs a name") for n, c in enumerate(draft.credits, 1) if not c.name.strip()]
    problems += [Problem("credits", f"{c.name}: a share is between 0 and 100%") for c in draft.credits
                 if c.share_percent is not None and not 0 <= c.share_percent <= 100]
    problems += [Problem("credits", p) for p in share_problems(draft.credits)]
    if problems:
        raise ValidationError(problems)
    # Optimistic concurrency: refused when someone saved the track since the editor loaded it.
    track = audit.still_current(session, session.get(MusicTrack, draft.id), draft, "music_track", "music track") \
        if draft.id else MusicTrack()
    before = _snapshot(load_track(session, draft.id)) if draft.id else None
    track.title, track.isrc, track.iswc, track.notes = draft.title.strip(), draft.isrc.strip() or None, \
        draft.iswc.strip() or None, draft.notes
    track.credits = [TrackCredit(role=c.role, name=c.name.strip(), share_percent=c.share_percent,
                                 society=c.society.strip().upper(), ipi=c.ipi.strip()) for c in draft.credits]
    session.add(track)
    try:
        session.flush()
    except StaleDataError as error:  # saved by someone else between our read and our write
        raise audit.conflict(session, "music_track", draft.id or 0) from error
    audit.record(session, user=user, action=AuditAction.UPDATE if before else AuditAction.CREATE, entity="music_track",
                 entity_id=track.id, summary=f"track “{track.title}”", before=before,
                 after=_snapshot(load_track(session, track.id)))
    return track.id


def _snapshot(draft: TrackDraft) -> dict[str, Any]:
    data = audit.snapshot(draft)
    data.pop("version", None)  # the history shows what changed, not the counter
    return data


# -- licences ------------------------------------------------------------------------------------


def licences_of_track(session: Session, track_id: int) -> list[LicenceDraft]:
    ids = session.scalars(select(MusicLicence.id).where(MusicLicence.track_id == track_id).order_by(MusicLicence.id))
    return [load_licence(session, i) for i in ids]


def load_licence(session: Session, licence_id: int) -> LicenceDraft:
    licence = session.get(MusicLicence, licence_id)
    if licence is None:
        raise NotFound(f"music licence {licence_id} no longer exists")
    scope = reference.territory_scopes(session, MusicLicenceTerritory, MusicLicenceTerritory.licence_id, [licence_id]).get(
        licence_id, TerritoryScope())
    return LicenceDraft(licence.track_id, licence.licensor_id, licence.covers_sync, licence.covers_master, licence.status,
                        scope, sorted(m.media_code for m in licence.media), licence.term_start, licence.term_end,
                        licence.fee, licence.currency or "", licence.requested_on, licence.answered_on,
                        licence.document_reference, licence.notes, licence.id, licence.version)


def save_licence(session: Session, draft: LicenceDraft, *, user: str, today: date | None = None) -> int:
    """Create or update a licence. Its status moves only as the workflow allows; asking and
    answering are dated when the status says so and no date was given."""
    found = session.get(MusicLicence, draft.id) if draft.id else None
    licence = audit.still_current(session, found, draft, "music_licence", "music licence") if draft.id else None
    # A new licence may be entered as it already stands (one cleared before it was recorded).
    known = reference.known(session)
    # its media typed in any case are kept as the media's codes
    draft = dataclasses.replace(draft, media=media_codes(known.media).all_as_stored(draft.media))
    problems = licence_problems(draft, known, licence.status if licence else None)
    if session.get(MusicTrack, draft.track_id) is None:
        problems.append(Problem("track", f"music track {draft.track_id} no longer exists"))
    if problems:
        raise ValidationError(problems)
    today = today or date.today()
    if draft.status is not LicenceStatus.NOT_REQUESTED and draft.requested_on is None:
        draft = dataclasses.replace(draft, requested_on=today)
    if draft.status in (LicenceStatus.QUOTED, LicenceStatus.CLEARED, LicenceStatus.DENIED) and draft.answered_on is None:
        draft = dataclasses.replace(draft, answered_on=today)
    before = _licence_snapshot(load_licence(session, licence.id)) if licence else None
    group_ids = {code: i for i, code in session.execute(select(TerritoryGroup.id, TerritoryGroup.code))}
    if licence is None:
        licence = MusicLicence(track_id=draft.track_id)
        session.add(licence)
    licence.licensor_id, licence.covers_sync, licence.covers_master = draft.licensor_id, draft.covers_sync, draft.covers_master
    licence.status, licence.term_start, licence.term_end = draft.status, draft.term_start, draft.term_end
    licence.fee, licence.currency = draft.fee, draft.currency or None
    licence.requested_on, licence.answered_on = draft.requested_on, draft.answered_on
    licence.document_reference, licence.notes = draft.document_reference.strip(), draft.notes
    licence.territories = [MusicLicenceTerritory(**reference.scope_row(i, group_ids)) for i in draft.territories.items]
    licence.media = [MusicLicenceMedia(media_code=code) for code in sorted(set(draft.media))]
    session.flush()
    track = session.get(MusicTrack, licence.track_id)
    audit.record(session, user=user, action=AuditAction.UPDATE if before else AuditAction.CREATE, entity="music_licence",
                 entity_id=licence.id, summary=f"licence for “{track.title if track else licence.track_id}”: {licence.status.value}",
                 before=before, after=_licence_snapshot(load_licence(session, licence.id)))
    return licence.id


def _licence_snapshot(draft: LicenceDraft) -> dict[str, object]:
    data = audit.snapshot(draft)
    data["territories"] = draft.territories.describe()
    return data


def book_licence_fee(session: Session, licence_id: int, deal_id: int, *, user: str, incurred_on: date | None = None,
                     recoupable: bool = True) -> int:
    """Book a licence's fee as an expense of a deal (recoupable unless said otherwise), once."""
    draft = load_licence(session, licence_id)
    track = session.get(MusicTrack, draft.track_id)
    rights = " + ".join(r for r, held in (("sync", draft.covers_sync), ("master", draft.covers_master)) if held)
    return royalty_terms.book_expense(
        session, deal_id, ExpenseCategory.MUSIC, draft.fee, draft.currency,
        f"Music licence {licence_id}: “{track.title if track else ''}” ({rights})",
        incurred_on or draft.answered_on or date.today(), recoupable=recoupable, user=user, music_licence_id=licence_id)
