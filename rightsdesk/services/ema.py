"""EMA Avails in and out: an avails answer as a rights offer, and a producer's offer as a draft IN deal.

Import takes what it can and lists the rest: a row it cannot read (no title, a territory or
licence type it does not know, a bad date) is reported with its row number and field and
skipped; everything it takes goes into one draft IN deal in one transaction. A series that is
not in the catalogue yet (matched by EIDR, then by internal ID, then by name) is added as a
new title without episodes, and named in the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.domain import ema
from rightsdesk.domain.catalogue import TitleDraft, eidr_problem
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.errors import Problem, UserError, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.reading import normalise_eidr, shown
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.database import take_turns
from rightsdesk.persistence.models import Deal, Episode, Media, Party, Title, TitleLocalizedName
from rightsdesk.services import catalogue, deals, parties, reference
from rightsdesk.services.avails import AvailsAnswer
from rightsdesk.services.spreadsheets import Spreadsheet
from rightsdesk.services.statement_documents import letterhead


# -- out: what we can license, as an offer ---------------------------------------------------


def offer_rows(session: Session, answer: AvailsAnswer, *, licensee: str) -> list[dict[str, Any]]:
    """One EMA row per title, country, media and run of days available for the request."""
    query = answer.result.query
    display_name = letterhead(session).name  # the sales house, as on its statements
    titles = {t.id: t for t in session.scalars(select(Title).where(Title.id.in_(query.titles)))}
    english = dict(session.execute(select(TitleLocalizedName.title_id, TitleLocalizedName.name).where(
        TitleLocalizedName.title_id.in_(query.titles), TitleLocalizedName.language_tag == "en")).all())
    episodes = {t: (n, s) for t, n, s in session.execute(
        select(Episode.title_id, func.count(), func.sum(Episode.runtime_seconds))
        .where(Episode.title_id.in_(query.titles)).group_by(Episode.title_id))}
    media_names = dict(session.execute(select(Media.code, Media.name)).all())
    license_types = dict(session.execute(select(Media.code, Media.ema_license_type)).all())  # the media table's choice
    rows = []
    for block in sorted(answer.result.blocks, key=lambda b: (b.title_id, query.media.index(b.media))):
        title = titles[block.title_id]
        count, runtime = episodes.get(title.id, (0, 0))
        for segment in block.answer.segments:
            if not segment.allows(query.exclusive):
                continue
            start = segment.start or query.start
            for country in sorted(block.territories):
                rows.append({
                    "DisplayName": display_name, "Licensee": licensee, "AssetLanguage": title.original_language,
                    "Territory": country, "WorkType": "Season", "EntryType": "Full Extract",
                    "SeriesTitleInternalAlias": title.original_name,
                    "SeriesTitleDisplayUnlimited": english.get(title.id, title.original_name),
                    "SeasonNumber": 1, "EpisodeCount": count, "SeriesID": title.eidr or title.internal_id,
                    "SeriesAltID": title.internal_id, "LicenseType": ema.license_type(block.media, license_types.get(block.media)),
                    "LicenseRightsDescription": media_names.get(block.media, block.media), "FormatProfile": "HD",
                    "Start": start, "End": segment.end or "Open", "Exclusive": query.exclusive,
                    "AllowedLanguages": ", ".join(sorted(query.languages)) or None,
                    "OtherTerms": f"Media {block.media} ({media_names.get(block.media, block.media)}); "
                                  f"monetised by {ema.MONETISATION.get(block.media, 'as agreed')}",
                    "AvailID": f"{title.internal_id}-{country}-{block.media}-{start.isoformat()}",
                    "TotalRunTime": _duration(runtime or 0),
                    ema.MEDIA_FIELD: block.media, ema.FORMAT_FIELD: title.aspect_ratio,
                    ema.MONETISATION_FIELD: ema.MONETISATION.get(block.media),
                })
    return rows


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


# -- in: a producer's offer as a draft IN deal ------------------------------------------------


@dataclass
class ImportReport:
    deal_id: int | None = None
    reference: str = ""
    rows_taken: int = 0
    grants: int = 0
    titles_created: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def read_workbook(content: bytes, sheet: str = "") -> list[tuple[str, int, dict[str, Any]]]:
    """The avail rows of an EMA workbook as (sheet, spreadsheet row number, {field: value}):
    of every sheet that has an EMA field-name row (MovieLabs' combined template has Movies and
    TV sheets), or of the sheet named. Raises UserError when none has one."""
    # The saved values, a formula with no saved result marked as such (never read as its text).
    book = Spreadsheet(content)
    try:
        if sheet and sheet not in book.sheet_names:
            raise UserError(f"the workbook has no sheet '{sheet}' (it has {', '.join(book.sheet_names)})")
        sheets = [(name, list(book.rows(name))) for name in ([sheet] if sheet else book.sheet_names)]
    finally:
        book.close()
    found = []
    read_any = False
    for title, rows in sheets:
        header_at = next((i for i, (_, row) in enumerate(rows[:10]) if "Territory" in row and "LicenseType" in row), None)
        if header_at is None:
            continue
        read_any = True
        names = [str(v).strip() if v is not None else "" for v in rows[header_at][1]]
        for index in range(header_at + 1, len(rows)):
            number, values = rows[index]
            first = values[0] if values else None
            if index == header_at + 1 and (isinstance(first, (int, float)) or any(str(v).startswith("//") for v in values if v)):
                continue  # the version and requirement-notes row
            if not any(v is not None and str(v).strip() for v in values):
                continue
            found.append((title, number, {name: value for name, value in zip(names, values) if name}))
    if not read_any:
        where = f"sheet '{sheet}'" if sheet else "any sheet"
        raise UserError(f"no EMA Avails field-name row (with Territory and LicenseType) in the first ten rows of {where}")
    return found


def import_offer(session: Session, content: bytes, *, producer: str = "", user: str, sheet: str = "") -> ImportReport:
    """A producer's EMA offer as one draft IN deal, from every avails sheet of the workbook (or
    the one named). All or nothing: any row that cannot be taken refuses the offer, every such
    row listed (with its sheet when several) in the ValidationError."""
    report = ImportReport()
    countries = reference.country_codes(session)
    media = reference.known_media(session)
    offered = []
    rows = read_workbook(content, sheet)
    if not rows:
        raise UserError("the workbook has no avails below its field-name rows")
    several = len({name for name, _, _ in rows}) > 1

    def where(sheet_name: str, problems: list[Problem]) -> list[Problem]:
        # control characters in a quoted value shown escaped, so the message reads as it should
        return [Problem(f"{sheet_name}!{p.where}" if several else p.where, shown(p.message)) for p in problems]

    sheet_of: dict[int, str] = {}
    for sheet_name, number, row in rows:
        right, problems = ema.read_row(number, row, countries=countries, media=media)
        report.skipped += where(sheet_name, problems)
        if right:
            offered.append(right)
            sheet_of[id(right)] = sheet_name
    # All or nothing, as every import: an offer with rows we cannot read is refused whole, every
    # row named, rather than half-taken into a draft deal nobody checks row by row.
    if report.skipped:
        raise ValidationError(report.skipped)
    display_name = producer or next((str(r.get("DisplayName")) for _, _, r in rows if r.get("DisplayName")), "")
    party_id = _producer(session, display_name or "Unknown licensor", user)
    title_ids = {key: _title(session, right, report, user) for key, right in _series(offered).items()}
    # An episode the title we hold does not have (99999 of 115) is not offered to us.
    last_episode = dict(session.execute(select(Episode.title_id, func.max(Episode.number)).where(
        Episode.title_id.in_(set(title_ids.values()))).group_by(Episode.title_id)).all())
    beyond = [r for r in offered if r.episode is not None
              and r.episode > last_episode.get(title_ids[_series_key(r)], r.episode)]
    for right in beyond:
        report.skipped += where(sheet_of[id(right)], [Problem(
            f"row {right.row}, EpisodeNumber",
            f"'{right.episode}' is beyond {right.series_name}'s episodes ({last_episode[title_ids[_series_key(right)]]})")])
    if report.skipped:
        raise ValidationError(report.skipped)  # in the caller's transaction: the titles made above go too
    report.rows_taken = len(offered)

    # Rows of one series, media, term, exclusivity and languages: a grant over their countries,
    # with whole-series rows covering what episode rows would.
    # A right offered both exclusively and not (rows that differ only in format, say) is exclusive.
    exclusive = defaultdict(bool)
    for right in offered:
        exclusive[(_series_key(right), right.media, right.start, right.end, right.languages, right.territory)] |= right.exclusive
    by_right: dict[tuple[Any, ...], dict[str, set[int | None]]] = defaultdict(lambda: defaultdict(set))
    for right in offered:
        held = exclusive[(_series_key(right), right.media, right.start, right.end, right.languages, right.territory)]
        key = (title_ids[_series_key(right)], right.media, right.start, right.end, held, right.languages)
        by_right[key][right.territory].add(right.episode)
    grouped: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for (title_id, medium, start, end, exclusive, languages), territories in by_right.items():
        for territory, episodes in territories.items():
            for first, last in _ranges(episodes):
                grouped[(title_id, first, last, start, end, exclusive, languages, medium)].add(territory)
    merged: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for (title_id, first, last, start, end, exclusive, languages, medium), territories in grouped.items():
        merged[(title_id, first, last, start, end, exclusive, languages, frozenset(territories))].append(medium)
    grants = [
        GrantDraft(titles=[GrantTitleDraft(title_id, first, last)],
                   territories=TerritoryScope(tuple(ScopeItem(c) for c in sorted(territories))),
                   media=sorted(media_codes), languages=list(languages), term_start=start, term_end=end,
                   exclusive=exclusive, sublicensing_allowed=True, notes="From an EMA Avails offer")
        for (title_id, first, last, start, end, exclusive, languages, territories), media_codes in merged.items()
    ]
    report.reference = _reference(session)
    saved = deals.save_deal(session, DealDraft(DealDirection.IN, party_id, report.reference, status=DealStatus.DRAFT,
                                               notes=f"Imported from an EMA Avails workbook: {report.rows_taken} rows",
                                               grants=grants), user=user)
    report.deal_id, report.grants = saved.deal_id, len(grants)
    return report


def import_offer_file(session: Session, path: Path, *, producer: str = "", user: str, sheet: str = "") -> ImportReport:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror}") from error
    return import_offer(session, content, producer=producer, user=user, sheet=sheet)


def _series_key(right: ema.OfferedRight) -> tuple[str, str]:
    return (right.series_id or right.alt_id, right.series_name)


def _series(offered: list[ema.OfferedRight]) -> dict[tuple[str, str], ema.OfferedRight]:
    found: dict[tuple[str, str], ema.OfferedRight] = {}
    for right in offered:
        found.setdefault(_series_key(right), right)
    return found


def _title(session: Session, right: ema.OfferedRight, report: ImportReport, user: str) -> int:
    """The catalogue title an offered series is: by EIDR, internal ID or name; else a new one."""
    ids = [i for i in (right.series_id, right.alt_id) if i]
    # EIDRs are compared in their canonical form: 'md:cid:eidr-s:…' and 'doi:10.5240/…' are the same ID.
    eidrs = [normalise_eidr(i) for i in ids]
    match = session.scalar(select(Title.id).where(or_(Title.eidr.in_(eidrs), Title.internal_id.in_(ids)))) if ids else None
    match = match or session.scalar(select(Title.id).where(Title.original_name == right.series_name))
    if match:
        return match
    eidr = normalise_eidr(right.series_id) if right.series_id and eidr_problem(normalise_eidr(right.series_id)) is None else ""
    if eidr and session.scalar(select(Title.id).where(Title.eidr == eidr)):
        eidr = ""
    language = right.language if right.language and not any(c in right.language for c in " /") else ""
    title_id = catalogue.save_title(session, TitleDraft(
        right.series_name, original_language=language.lower() if len(language) == 2 else language, eidr=eidr,
        synopsis="Added from an EMA Avails offer; episodes to be entered."), user=user)
    report.titles_created.append(right.series_name)
    return title_id


def _producer(session: Session, name: str, user: str) -> int:
    found = session.scalar(select(Party.id).where(Party.name == name))
    return found or parties.save_party(session, PartyDraft(name[:300], PartyKind.PRODUCER), user=user)


def _reference(session: Session) -> str:
    take_turns(session, "deal.reference.ema")
    stem = f"EMA-{date.today():%Y%m%d}"
    taken = set(session.scalars(select(Deal.reference).where(Deal.reference.like(f"{stem}-%"))))
    number = 1
    while f"{stem}-{number:02d}" in taken:
        number += 1
    return f"{stem}-{number:02d}"


def _ranges(episodes: set[int | None]) -> list[tuple[int | None, int | None]]:
    """Whole series (None) wins; else runs of consecutive episode numbers."""
    if None in episodes:
        return [(None, None)]
    ordered = sorted(e for e in episodes if e is not None)
    runs: list[tuple[int | None, int | None]] = []
    for number in ordered:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
