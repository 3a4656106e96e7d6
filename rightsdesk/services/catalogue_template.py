"""Catalogue bulk entry: parties, titles and episodes from the catalogue template, all or
nothing, through the same services (and so the same checks) as the editors. Cells are read by
rightsdesk.domain.reading: nothing that reads two ways is guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.catalogue_template import EPISODE_COLUMNS, PARTY_COLUMNS, TITLE_COLUMNS
from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.music import parse_timecode
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.reading import Refused, clean_text, parse_decimal
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.persistence.models import Party, Title
from rightsdesk.services import catalogue, parties
from rightsdesk.services.revenue import ImportRefused
from rightsdesk.services.spreadsheets import Spreadsheet, sheet_table

_PARTY_FIELDS = {"Legal name": "legal_name", "Tax residence": "tax_residence", "Currency": "currency",
                 "Contact": "contact_name", "Email": "email", "Phone": "phone", "Address": "address",
                 "Tax ID": "tax_id", "Notes": "notes"}


@dataclass
class ImportedCatalogue:
    parties: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # internal IDs, new ones included
    episodes: int = 0


def import_catalogue(session: Session, content: bytes, *, user: str) -> ImportedCatalogue:
    """Save every party, title and episode of the workbook (a party by name and a title by
    internal ID are updated when they exist). Raises ImportRefused listing every problem by
    sheet, row and column; nothing is written then (the caller's transaction rolls back)."""
    book = Spreadsheet(content)
    missing = [name for name in ("Parties", "Titles", "Episodes") if name not in book.sheet_names]
    if missing:
        book.close()
        raise UserError(f"the workbook has no sheet {' or '.join(missing)}; start from `rightsdesk template catalogue FILE`")
    problems: list[FileProblem] = []
    sheets = {name: sheet_table(book, name, columns, problems) for name, columns in
              (("Parties", PARTY_COLUMNS), ("Titles", TITLE_COLUMNS), ("Episodes", EPISODE_COLUMNS))}
    book.close()
    if problems:
        raise ImportRefused(problems)

    def text(sheet: str, row: int, column: str, value: Any) -> str:
        try:
            return clean_text(value)
        except Refused as refused:
            problems.append(FileProblem(row, f"{sheet}!{column}", ascii(str(value))[1:-1], str(refused)))
            return ""

    def whole(sheet: str, row: int, column: str, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = parse_decimal(value, ".")
        except Refused as refused:
            problems.append(FileProblem(row, f"{sheet}!{column}", str(value), str(refused)))
            return None
        if number != number.to_integral_value() or number < 0:
            problems.append(FileProblem(row, f"{sheet}!{column}", str(value), "is not a whole number"))
            return None
        return int(number)

    report = ImportedCatalogue()
    party_ids = {name.lower(): (party_id, version) for party_id, name, version in
                 session.execute(select(Party.id, Party.name, Party.version))}
    party_drafts: list[tuple[int, PartyDraft]] = []
    for row, values in sheets["Parties"]:
        name = text("Parties", row, "Name", values["Name"])
        kind = text("Parties", row, "Kind", values["Kind"]).lower()
        if kind not in {k.value for k in PartyKind}:
            problems.append(FileProblem(row, "Parties!Kind", kind, "is not " + ", ".join(k.value for k in PartyKind)))
            continue
        draft = PartyDraft(name, PartyKind(kind), **{f: text("Parties", row, c, values[c]) for c, f in _PARTY_FIELDS.items()})
        draft.id, draft.version = party_ids.get(name.lower(), (None, None))
        party_drafts.append((row, draft))
    known_parties = {name for name in party_ids} | {d.name.lower() for _, d in party_drafts}

    title_ids = {internal_id: (title_id, version) for title_id, internal_id, version in
                 session.execute(select(Title.id, Title.internal_id, Title.version))}
    title_drafts: list[tuple[int, TitleDraft, str]] = []  # row, draft, producer name
    by_key: dict[str, TitleDraft] = {}
    for row, values in sheets["Titles"]:
        internal_id = text("Titles", row, "Internal ID", values["Internal ID"])
        if internal_id and internal_id not in title_ids:
            problems.append(FileProblem(row, "Titles!Internal ID", internal_id,
                                        "is not a title in RightsDesk (leave it empty for a new title)"))
            continue
        producer = text("Titles", row, "Producer", values["Producer"])
        if producer and producer.lower() not in known_parties:
            problems.append(FileProblem(row, "Titles!Producer", producer, "is not a party on the Parties sheet or in RightsDesk"))
        draft = TitleDraft(
            text("Titles", row, "Original name", values["Original name"]), internal_id=internal_id,
            original_language=text("Titles", row, "Original language", values["Original language"]),
            country_of_origin=text("Titles", row, "Country of origin", values["Country of origin"]),
            genre=text("Titles", row, "Genre", values["Genre"]),
            production_year=whole("Titles", row, "Production year", values["Production year"]),
            eidr=text("Titles", row, "EIDR", values["EIDR"]),
            aspect_ratio=text("Titles", row, "Aspect ratio", values["Aspect ratio"]) or "9:16",
            synopsis=text("Titles", row, "Synopsis", values["Synopsis"]))
        if internal_id:
            draft.id, draft.version = title_ids[internal_id]
            existing = catalogue.load_title(session, draft.id)
            draft.episodes, draft.localized_names = existing.episodes, existing.localized_names
        key = internal_id or draft.original_name
        if key in by_key:
            problems.append(FileProblem(row, "Titles!Original name" if not internal_id else "Titles!Internal ID", key,
                                        "appears twice on the Titles sheet"))
            continue
        by_key[key] = draft
        title_drafts.append((row, draft, producer))

    given: dict[str, list[EpisodeDraft]] = {}
    for row, values in sheets["Episodes"]:
        key = text("Episodes", row, "Title", values["Title"])
        if key not in by_key and key not in title_ids:
            problems.append(FileProblem(row, "Episodes!Title", key,
                                        "is neither a title on the Titles sheet nor a title's internal ID"))
            continue
        number = whole("Episodes", row, "Number", values["Number"])
        runtime = _runtime(values["Runtime"], row, problems)
        if number is None or number < 1:
            if number is not None or values["Number"] in (None, ""):
                problems.append(FileProblem(row, "Episodes!Number", str(values["Number"] or ""), "is not an episode number"))
            continue
        if runtime is not None:
            given.setdefault(key, []).append(EpisodeDraft(number, text("Episodes", row, "Name", values["Name"]), runtime))
    for key, episodes in given.items():
        if key not in by_key:  # a title in RightsDesk not on the Titles sheet: its episodes are replaced
            title_id, version = title_ids[key]
            draft = catalogue.load_title(session, title_id)
            by_key[key] = draft
            title_drafts.append((0, draft, ""))
        by_key[key].episodes = [_keep_id(by_key[key].episodes, e) for e in sorted(episodes, key=lambda e: e.number)]
    if problems:
        raise ImportRefused(problems)

    for row, draft in party_drafts:
        try:
            parties.save_party(session, draft, user=user)
            report.parties.append(draft.name)
        except ValidationError as error:
            problems += [FileProblem(row, f"Parties!{p.where}", "", p.message) for p in error.problems]
    names = {name.lower(): party_id for party_id, name in session.execute(select(Party.id, Party.name))}
    for row, draft, producer in title_drafts:
        if producer:
            if producer.lower() not in names:  # its row on the Parties sheet was refused, and said so
                continue
            draft.producer_id = names[producer.lower()]
        try:
            title_id = catalogue.save_title(session, draft, user=user)
        except ValidationError as error:
            problems += [FileProblem(row, f"Titles!{p.where}", draft.original_name, p.message) for p in error.problems]
            continue
        report.titles.append(session.scalar(select(Title.internal_id).where(Title.id == title_id)) or "")
        report.episodes += len(draft.episodes)
    if problems:
        raise ImportRefused(problems)  # in the caller's transaction: what was saved above rolls back
    return report


def _keep_id(existing: list[EpisodeDraft], episode: EpisodeDraft) -> EpisodeDraft:
    """An episode given again keeps its record (its cues and tasks hang on it)."""
    same = next((e for e in existing if e.number == episode.number), None)
    return EpisodeDraft(episode.number, episode.name, episode.runtime_seconds, same.id if same else None)


def _runtime(value: Any, row: int, problems: list[FileProblem]) -> int | None:
    """Seconds from MM:SS, HH:MM:SS or whole seconds."""
    if value in (None, ""):
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        return parse_timecode(text) // 1000
    except ValueError:
        problems.append(FileProblem(row, "Episodes!Runtime", text, "is not a runtime (MM:SS, HH:MM:SS or seconds)"))
        return None
