"""Cue sheets: the music of each episode, edited cue by cue or imported from a spreadsheet.

A track is one record shared by every episode and title that uses it: a cue names an existing
track, or a track title that is looked up (ignoring case) and created only when nobody has it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import AuditAction, CreditRole, UsageCode
from rightsdesk.domain.errors import NotFound, ValidationError
from rightsdesk.domain.music import (
    CreditDraft,
    CueDraft,
    cue_problems,
    format_timecode,
    parse_credits,
    parse_timecode,
    parse_usage,
    share_problems,
)
from rightsdesk.domain.catalogue import MAX_NAME
from rightsdesk.domain.reading import Refused, clean_text, shown
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.persistence.models import Cue, Episode, MusicTrack, TrackCredit
from rightsdesk.services import audit, catalogue
from rightsdesk.services.revenue import ImportRefused
from rightsdesk.services.spreadsheets import Records, Spreadsheet, read_records
from rightsdesk.domain.words import plural


@dataclass
class CueSheet:
    """One episode's cues, in order, with what a cue sheet prints about the episode."""

    episode_id: int
    title_id: int
    series: str  # the title's original name
    internal_id: str
    episode_number: int
    episode_name: str
    runtime_ms: int
    cues: list[CueDraft] = field(default_factory=list)
    version: int = 1  # of the sheet as loaded (Episode.cue_sheet_version)


@dataclass(frozen=True)
class EpisodeMusic:
    episode_id: int
    number: int
    name: str
    runtime_seconds: int
    cues: int


def episodes_with_music(session: Session, title_id: int) -> list[EpisodeMusic]:
    """A title's episodes, each with how many cues its sheet has."""
    cue_count = select(func.count(Cue.id)).where(Cue.episode_id == Episode.id).scalar_subquery()
    rows = session.execute(select(Episode.id, Episode.number, Episode.name, Episode.runtime_seconds, cue_count)
                           .where(Episode.title_id == title_id).order_by(Episode.number))
    return [EpisodeMusic(*row) for row in rows]


def load_cue_sheet(session: Session, episode_id: int) -> CueSheet:
    episode = session.get(Episode, episode_id)
    if episode is None:
        raise NotFound("this episode no longer exists: someone deleted it meanwhile")
    title = episode.title
    sheet = CueSheet(episode.id, title.id, title.original_name, title.internal_id, episode.number, episode.name,
                     episode.runtime_seconds * 1000, version=episode.cue_sheet_version)
    for cue, track in session.execute(select(Cue, MusicTrack.title).join(MusicTrack, MusicTrack.id == Cue.track_id)
                                      .where(Cue.episode_id == episode_id).order_by(Cue.position)):
        sheet.cues.append(CueDraft(track, cue.usage, cue.in_ms, cue.out_ms, cue.track_id))
    return sheet


def save_cue_sheet(session: Session, episode_id: int, cues: Sequence[CueDraft], *, user: str,
                   version: int | None = None) -> None:
    """Replace an episode's cue sheet with these cues, in this order. `version`: the sheet's
    version as the editor loaded it; raises Conflict when someone saved the sheet since (the
    check and the move to the next version are one UPDATE, so two desks saving at once cannot
    both pass it)."""
    _next_version(session, episode_id, version)
    before = load_cue_sheet(session, episode_id)
    problems = cue_problems(cues, before.runtime_ms)
    if problems:
        raise ValidationError(problems)
    tracks = _Tracks(session)
    resolved = [(cue, tracks.find_or_create(cue.track_title, cue.track_id)) for cue in cues]
    _replace_cues(session, before, resolved, user=user, how="edited")


def _next_version(session: Session, episode_id: int, expected: int | None) -> None:
    moved = session.execute(
        update(Episode).where(Episode.id == episode_id, *([Episode.cue_sheet_version == expected] if expected else []))
        .values(cue_sheet_version=Episode.cue_sheet_version + 1).execution_options(synchronize_session=False))
    if moved.rowcount == 0:  # type: ignore[attr-defined]
        if session.get(Episode, episode_id) is None:
            raise NotFound("this episode no longer exists: someone deleted it meanwhile")
        raise audit.conflict(session, "cue_sheet", episode_id)
    session.expire_all()


def _replace_cues(session: Session, before: CueSheet, cues: Sequence[tuple[CueDraft, MusicTrack]], *,
                  user: str, how: str) -> None:
    session.execute(delete(Cue).where(Cue.episode_id == before.episode_id))
    session.add_all(Cue(episode_id=before.episode_id, track_id=track.id, position=position, usage=cue.usage,
                        in_ms=cue.in_ms, out_ms=cue.out_ms)
                    for position, (cue, track) in enumerate(cues, start=1))
    session.flush()
    audit.record(session, user=user, action=AuditAction.UPDATE, entity="cue_sheet", entity_id=before.episode_id,
                 summary=f"cue sheet of {before.internal_id} episode {before.episode_number} {how}: {plural(len(cues), 'cue')}",
                 before={"cues": [_describe(c) for c in before.cues]},
                 after={"cues": [_describe(CueDraft(t.title, c.usage, c.in_ms, c.out_ms, t.id)) for c, t in cues]})


def _describe(cue: CueDraft) -> str:
    return f"{cue.track_title} {cue.usage.value} {format_timecode(cue.in_ms)}–{format_timecode(cue.out_ms)}"


class _Tracks:
    """Tracks by title for one save or import, so that a title typed twice is one track."""

    def __init__(self, session: Session):
        self.session = session
        self.created: list[MusicTrack] = []
        self._by_title: dict[str, MusicTrack] = {}

    def find_or_create(self, title: str, track_id: int | None = None,
                       credits: Sequence[CreditDraft] = ()) -> MusicTrack:
        if track_id is not None:
            track = self.session.get(MusicTrack, track_id)
            if track is None:
                raise NotFound("a music track on this cue sheet no longer exists: someone deleted it meanwhile")
            return track
        key = title.strip().casefold()
        track = self._by_title.get(key) or self.session.scalars(
            select(MusicTrack).where(func.lower(MusicTrack.title) == key).order_by(MusicTrack.id).limit(1)).first()
        if track is None:
            track = MusicTrack(title=title.strip())
            self.session.add(track)
            self.created.append(track)
        if credits and not track.credits:  # a file does not overwrite credits someone entered
            track.credits.extend(TrackCredit(role=c.role, name=c.name, share_percent=c.share_percent,
                                             society=c.society, ipi=c.ipi) for c in credits)
        if track.id is None:
            self.session.flush()  # its cues need its ID
        self._by_title[key] = track
        return track


# -- import ------------------------------------------------------------------------------------

# The columns a cue sheet file may have, under any of these headers (case and spaces ignored).
HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "series", "title id", "series id", "programme", "program"),
    "episode": ("episode", "ep", "episode no", "episode number"),
    "cue": ("cue", "cue no", "cue number", "#", "seq"),
    "track": ("track", "track title", "cue title", "music title", "work title"),
    "composers": ("composer", "composers", "writer", "writers", "composers/lyricists"),
    "publishers": ("publisher", "publishers"),
    "usage": ("usage", "use", "usage code"),
    "in": ("in", "tc in", "time in", "start"),
    "out": ("out", "tc out", "time out", "end"),
    "duration": ("duration", "length", "timing"),
}
REQUIRED = ("title", "episode", "track", "usage", "in")
MAX_EPISODE = 100_000


@dataclass(frozen=True)
class ImportedCues:
    episodes: int
    cues: int
    new_tracks: list[str]


def import_cue_sheets(session: Session, file_name: str, content: bytes, *, user: str,
                      encoding: str | None = None) -> ImportedCues:
    """Cue sheets from CSV or XLSX, one cue a row: every episode named in the file gets exactly
    the file's cues (in the file's cue order). All or nothing: a file with any problem writes
    nothing and lists every problem by the file's own row and column. CSV text is read in its
    declared `encoding` (UTF-8 or a BOM by default), strictly."""
    table, index = _cue_table(file_name, content, encoding)
    problems: list[FileProblem] = []
    titles: dict[str, int | None] = {}
    episodes: dict[tuple[int, int], tuple[int, int] | None] = {}
    sheets: dict[int, list[tuple[float, CueDraft, list[CreditDraft]]]] = defaultdict(list)
    for row_number, row in table.rows:
        parsed = _parse_row(session, row_number, row, index, titles, episodes, problems)
        if parsed is not None:
            episode_id, order, cue, credits = parsed
            sheets[episode_id].append((order, cue, credits))
    if not sheets and not problems:
        problems.append(FileProblem(table.header_row + 1, "", "", "the file has no cues"))
    if problems:
        raise ImportRefused(problems)
    tracks = _Tracks(session)
    count = 0
    for episode_id, rows in sheets.items():
        ordered = sorted(rows, key=lambda r: r[0])
        resolved = [(cue, tracks.find_or_create(cue.track_title, None, credits)) for _, cue, credits in ordered]
        _next_version(session, episode_id, None)  # an editor open on this sheet must not overwrite the import
        _replace_cues(session, load_cue_sheet(session, episode_id), resolved, user=user, how=f"imported from {file_name}")
        count += len(resolved)
    return ImportedCues(len(sheets), count, [t.title for t in tracks.created])


def _cue_table(file_name: str, content: bytes, encoding: str | None) -> tuple[Records, dict[str, int]]:
    """The file's table of cues: in a workbook, the first sheet with the columns a cue sheet
    needs (a RightsDesk export opens on its About sheet)."""
    first = read_records(content, file_name, encoding=encoding)
    try:
        return first, _column_index(first.headers, first.header_row)
    except ImportRefused:
        if content[:2] != b"PK":
            raise
        book = Spreadsheet(content)
        names = book.sheet_names[1:]
        book.close()
        for sheet in names:
            table = read_records(content, file_name, sheet=sheet)
            try:
                return table, _column_index(table.headers, table.header_row)
            except ImportRefused:
                continue
        raise


def _column_index(headers: list[str], header_row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = " ".join(header.lower().replace(".", " ").replace("_", " ").split())
        for name, names in HEADERS.items():
            if key in names and name not in found:
                found[name] = position
    missing = [name for name in REQUIRED if name not in found]
    if "out" not in found and "duration" not in found:
        missing.append("out (or duration)")
    if missing:
        raise ImportRefused([FileProblem(header_row, name, "", "no such column; the file's columns are "
                                         + ", ".join(h for h in headers if h)) for name in missing])
    return found


def _parse_row(session: Session, number: int, row: list[Any], index: dict[str, int], titles: dict[str, int | None],
               episodes: dict[tuple[int, int], tuple[int, int] | None],
               problems: list[FileProblem]) -> tuple[int, float, CueDraft, list[CreditDraft]] | None:
    before = len(problems)

    refused: set[str] = set()

    def cell(name: str) -> str:
        position = index.get(name)
        value = row[position] if position is not None and position < len(row) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            return clean_text(value)
        except Refused as reason:
            if name not in refused:
                refused.add(name)
                problems.append(FileProblem(number, name, shown(value), str(reason)))
            return ""

    def problem(name: str, reason: str) -> None:
        if name not in refused:  # a cell refused as it was read ('holds a control character') says so once
            problems.append(FileProblem(number, name, cell(name), reason))

    def timecode(name: str) -> int | None:
        try:
            return parse_timecode(cell(name)) if cell(name) else None
        except ValueError:
            problem(name, "is not a timecode (MM:SS or HH:MM:SS)")
            return None

    title_id = _title_of(session, cell("title"), titles) if cell("title") else None
    if title_id is None:
        problem("title", "names no title (give its internal ID or original name)")
    episode = None
    if not (cell("episode").isascii() and cell("episode").isdigit()):  # not '²', which isdigit() accepts
        problem("episode", "is not an episode number")
    elif int(cell("episode")) > MAX_EPISODE:  # beyond any title, and beyond what the database's integers hold
        problem("episode", f"{cell('title')} has no such episode")
    elif title_id is not None:
        episode = _episode_of(session, title_id, int(cell("episode")), episodes)
        if episode is None:
            problem("episode", f"{cell('title')} has no such episode")
    if not cell("track"):
        problem("track", "is empty")
    elif len(cell("track")) > MAX_NAME:
        problem("track", f"is longer than {MAX_NAME} characters")
    usage = None
    try:
        usage = parse_usage(cell("usage"))
    except ValueError:
        problem("usage", f"is not a usage code ({', '.join(u.value for u in UsageCode)})")
    order: float = number
    if cell("cue"):
        try:
            order = float(cell("cue"))
            if not math.isfinite(order):
                raise ValueError(order)
        except ValueError:
            problem("cue", "is not a cue number")
    start, end, length = timecode("in"), timecode("out"), timecode("duration")
    if start is not None and end is None and length is not None:
        end = start + length
    if start is not None and end is None and length is None and len(problems) == before:
        problem("out", "is empty and there is no duration")
    credits: list[CreditDraft] = []
    for name, role in (("composers", CreditRole.COMPOSER), ("publishers", CreditRole.PUBLISHER)):
        try:
            found = parse_credits(cell(name), role)
        except ValueError as error:
            problem(name, str(error))
            continue
        if any(len(c.name) > MAX_NAME for c in found):
            problem(name, f"has a name longer than {MAX_NAME} characters")
        for reason in share_problems(found):  # 'Li Wei 60%; Wu Fang 60%'
            problem(name, reason)
        credits += found
    if len(problems) > before or episode is None or usage is None or start is None or end is None:
        return None
    episode_id, runtime_ms = episode
    cue = CueDraft(cell("track"), usage, start, end)
    for found in cue_problems([cue], runtime_ms):
        problems.append(FileProblem(number, "out" if "out" in found.message else "in", "", found.message))
    return None if len(problems) > before else (episode_id, order, cue, credits)


def _title_of(session: Session, text: str, cache: dict[str, int | None]) -> int | None:
    if text not in cache:
        cache[text] = catalogue.title_id_of(session, text)
    return cache[text]


def _episode_of(session: Session, title_id: int, number: int,
                cache: dict[tuple[int, int], tuple[int, int] | None]) -> tuple[int, int] | None:
    key = (title_id, number)
    if key not in cache:
        row = session.execute(select(Episode.id, Episode.runtime_seconds)
                              .where(Episode.title_id == title_id, Episode.number == number)).first()
        cache[key] = (row[0], row[1] * 1000) if row else None
    return cache[key]


# -- for export ----------------------------------------------------------------------------------


def cue_sheets(session: Session, title_id: int, numbers: Sequence[int] = ()) -> list[CueSheet]:
    """A title's cue sheets (all episodes, or those numbered), in episode order."""
    query = select(Episode.id).where(Episode.title_id == title_id).order_by(Episode.number)
    if numbers:
        query = query.where(Episode.number.in_(numbers))
    return [load_cue_sheet(session, episode_id) for episode_id in session.scalars(query)]


def track_credits(session: Session, track_ids: Sequence[int]) -> dict[int, list[CreditDraft]]:
    """Each track's credits, writers before publishers, as entered."""
    found: dict[int, list[CreditDraft]] = defaultdict(list)
    if track_ids:
        for credit in session.scalars(select(TrackCredit).where(TrackCredit.track_id.in_(track_ids))
                                      .order_by(TrackCredit.track_id, TrackCredit.id)):
            found[credit.track_id].append(CreditDraft(credit.role, credit.name, credit.share_percent,
                                                      credit.society, credit.ipi))
    return found
