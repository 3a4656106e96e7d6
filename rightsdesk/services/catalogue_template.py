"""Catalogue bulk entry: parties, titles and episodes from the catalogue template, all or
nothing, through the same services (and so the same checks) as the editors. Cells are read by
rightsdesk.domain.reading: nothing that reads two ways is guessed."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.catalogue import (
    MAX_NAME,
    MAX_RUNTIME_SECONDS,
    EpisodeDraft,
    TitleDraft,
    normalize_title,
    title_problems,
)
from rightsdesk.domain.catalogue_template import EPISODE_COLUMNS, PARTY_COLUMNS, TITLE_COLUMNS
from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.music import parse_timecode
from rightsdesk.domain.parties import PartyDraft, normalize_party, party_problems
from rightsdesk.domain.reading import Refused, clean_text, parse_decimal, shown
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.persistence.models import Party, Title
from rightsdesk.services import catalogue, parties, reference
from rightsdesk.services.revenue import ImportRefused
from rightsdesk.services.spreadsheets import Spreadsheet, sheet_table

_PARTY_COLUMN = {"name": "Name", "kind": "Kind", "legal_name": "Legal name", "tax_residence": "Tax residence",
                 "currency": "Currency", "contact_name": "Contact", "email": "Email", "phone": "Phone",
                 "address": "Address", "tax_id": "Tax ID", "notes": "Notes"}
_TITLE_COLUMN = {"internal_id": "Internal ID", "original_name": "Original name", "original_language": "Original language",
                 "country_of_origin": "Country of origin", "genre": "Genre", "production_year": "Production year",
                 "producer": "Producer", "eidr": "EIDR", "aspect_ratio": "Aspect ratio", "synopsis": "Synopsis"}
_QUOTED = re.compile(r"^'[^']*' ")


def _reason(message: str) -> str:
    """A rule's message said after the cell's value, which the problem shows once already:
    "'xx' is not a BCP 47 language tag" -> "is not a BCP 47 language tag"."""
    reason = _QUOTED.sub("", message, count=1)
    if reason.startswith(("not ", "longer than ")):
        return "is " + reason
    if reason.startswith("check character"):
        return "has a " + reason.replace("does not match", "that does not match", 1)
    return reason


_PARTY_FIELDS = {"Legal name": "legal_name", "Tax residence": "tax_residence", "Currency": "currency",
                 "Contact": "contact_name", "Email": "email", "Phone": "phone", "Address": "address",
                 "Tax ID": "tax_id", "Notes": "notes"}


@dataclass
class ImportedCatalogue:
    parties: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # internal IDs, new ones included
    episodes: int = 0


def import_catalogue(session: Session, content: bytes, *, user: str) -> ImportedCatalogue:
    """Save every party, title and episode of the workbook's Parties, Titles and Episodes sheets
    (its Example sheets are never read). A party by name and a title by internal ID are updated
    when they exist; a row without an internal ID whose original name and producer are those of
    a title already in the catalogue is refused (naming that title's ID): nothing is created
    twice. Raises ImportRefused listing every problem of the file in one pass, by row and column
    as the template's headers name them; nothing is written then (the caller's transaction rolls
    back)."""
    book = Spreadsheet(content)
    missing = [name for name in ("Parties", "Titles", "Episodes") if name not in book.sheet_names]
    if missing:
        book.close()
        raise UserError(f"the workbook has no sheet {' or '.join(missing)}; start from `rightsdesk template catalogue FILE`")
    problems: list[FileProblem] = []
    sheets = {name: sheet_table(book, name, columns, problems) for name, columns in
              (("Parties", PARTY_COLUMNS), ("Titles", TITLE_COLUMNS), ("Episodes", EPISODE_COLUMNS))}
    book.close()
    if any(p.column in sheets for p in problems):  # a sheet without its columns: nothing of it can be read
        raise ImportRefused(problems)
    countries, currencies = reference.country_codes(session), reference.currency_codes(session)
    this_year = date.today().year

    def problem(sheet: str, row: int, column: str, value: Any, reason: str) -> None:
        problems.append(FileProblem(row, f"{sheet}!{column}", shown(value), reason))

    def text(sheet: str, row: int, column: str, values: dict[str, Any]) -> str:
        try:
            return clean_text(values[column])
        except Refused as refused:
            problem(sheet, row, column, values[column], str(refused))
            return ""

    def whole(sheet: str, row: int, column: str, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = parse_decimal(value, ".")
        except Refused as refused:
            problem(sheet, row, column, value, str(refused))
            return None
        if number != number.to_integral_value() or number < 0:
            problem(sheet, row, column, value, "is not a whole number")
            return None
        return int(number)

    report = ImportedCatalogue()
    party_ids = {name.lower(): (party_id, version) for party_id, name, version in
                 session.execute(select(Party.id, Party.name, Party.version))}
    party_drafts: list[tuple[int, PartyDraft]] = []
    party_rows: dict[str, int] = {}
    kinds = [k.value for k in PartyKind]
    for row, values in sheets["Parties"]:
        name = text("Parties", row, "Name", values)
        kind = text("Parties", row, "Kind", values)
        if kind.lower() not in kinds:
            problem("Parties", row, "Kind", kind, "is not " + ", ".join(kinds))
        draft = PartyDraft(name, PartyKind(kind.lower()) if kind.lower() in kinds else PartyKind.OTHER,
                           **{f: text("Parties", row, c, values) for c, f in _PARTY_FIELDS.items()})
        draft.id, draft.version = party_ids.get(name.lower(), (None, None))
        said = {p.column for p in problems if p.row == row and p.column.startswith("Parties!")}
        for found in party_problems(normalize_party(dataclasses.replace(draft)), countries=countries, currencies=currencies):
            column = _PARTY_COLUMN.get(found.where, found.where)
            if f"Parties!{column}" not in said:
                problem("Parties", row, column, values.get(column), _reason(found.message))
        if name and name.lower() in party_rows:
            problem("Parties", row, "Name", name, f"appears twice on the Parties sheet (rows {party_rows[name.lower()]} and {row})")
            continue
        if name:
            party_rows[name.lower()] = row
        party_drafts.append((row, draft))
    known_parties = set(party_ids) | set(party_rows)

    in_catalogue = {internal_id: (title_id, version) for title_id, internal_id, version in
                    session.execute(select(Title.id, Title.internal_id, Title.version))}
    by_name = {(name.strip().casefold(), producer_id): internal_id for internal_id, name, producer_id in
               session.execute(select(Title.internal_id, Title.original_name, Title.producer_id))}
    eidrs = {eidr: internal_id for internal_id, eidr in
             session.execute(select(Title.internal_id, Title.eidr).where(Title.eidr.is_not(None), Title.eidr != ""))}
    title_drafts: list[tuple[int, TitleDraft, str]] = []  # row, draft, producer name
    by_key: dict[str, TitleDraft] = {}
    key_rows: dict[str, int] = {}
    for row, values in sheets["Titles"]:
        internal_id = text("Titles", row, "Internal ID", values)
        draft = TitleDraft(
            text("Titles", row, "Original name", values), internal_id=internal_id,
            original_language=text("Titles", row, "Original language", values),
            country_of_origin=text("Titles", row, "Country of origin", values),
            genre=text("Titles", row, "Genre", values),
            production_year=whole("Titles", row, "Production year", values["Production year"]))
        producer = text("Titles", row, "Producer", values)
        draft.eidr = text("Titles", row, "EIDR", values)
        draft.aspect_ratio = text("Titles", row, "Aspect ratio", values) or "9:16"
        draft.synopsis = text("Titles", row, "Synopsis", values)
        if internal_id and internal_id not in in_catalogue:
            problem("Titles", row, "Internal ID", internal_id, "is not a title in RightsDesk (leave it empty for a new title)")
        if producer and producer.lower() not in known_parties:
            problem("Titles", row, "Producer", producer, "is not a party on the Parties sheet or in RightsDesk")
        checked = normalize_title(dataclasses.replace(draft, episodes=[], localized_names={}))
        said = {p.column for p in problems if p.row == row and p.column.startswith("Titles!")}
        for found in title_problems(checked, countries=countries, this_year=this_year):
            column = _TITLE_COLUMN.get(found.where, found.where)
            if f"Titles!{column}" not in said:  # a cell refused as read is not refused again as empty
                problem("Titles", row, column, values.get(column), _reason(found.message))
        if checked.eidr and eidrs.get(checked.eidr, internal_id) != internal_id:
            problem("Titles", row, "EIDR", values["EIDR"], f"is the EIDR ID of {eidrs[checked.eidr]}, another title")
        if internal_id in in_catalogue:
            draft.id, draft.version = in_catalogue[internal_id]
            existing = catalogue.load_title(session, draft.id)
            draft.episodes, draft.localized_names = existing.episodes, existing.localized_names
        elif not internal_id and checked.original_name:
            if not producer:
                producer_id: int | None = None
            elif producer.lower() in party_ids:
                producer_id = party_ids[producer.lower()][0]
            else:
                producer_id = -1  # a party new with this file: no title in the catalogue has it yet
            same = by_name.get((checked.original_name.casefold(), producer_id))
            if same:
                problem("Titles", row, "Original name", draft.original_name,
                        f"is already in the catalogue as {same} ({'the same producer' if producer else 'no producer either'}): "
                        f"write {same} in its Internal ID to update that title, or remove the row; nothing is created twice")
        key = internal_id or draft.original_name
        if key and key in by_key:
            problem("Titles", row, "Internal ID" if internal_id else "Original name", key,
                    f"appears twice on the Titles sheet (rows {key_rows[key]} and {row})")
            continue
        if key:
            by_key[key], key_rows[key] = draft, row
        title_drafts.append((row, draft, producer))

    given: dict[str, list[EpisodeDraft]] = {}
    episode_rows: dict[tuple[str, int], int] = {}
    for row, values in sheets["Episodes"]:
        key = text("Episodes", row, "Title", values)
        known = key in by_key or key in in_catalogue
        if not known:
            problem("Episodes", row, "Title", key, "is neither a title on the Titles sheet nor a title's internal ID")
        number = whole("Episodes", row, "Number", values["Number"])
        if number == 0 or (number is None and values["Number"] in (None, "")):
            problem("Episodes", row, "Number", values["Number"], "is not an episode number (1, 2, 3...)")
            number = None
        name = text("Episodes", row, "Name", values)
        if len(name) > MAX_NAME:
            problem("Episodes", row, "Name", "", f"is longer than {MAX_NAME} characters")
        runtime = _runtime(values["Runtime"], row, problems)
        if runtime == 0:
            problem("Episodes", row, "Runtime", values["Runtime"], "is needed: more than 0 seconds")
        elif runtime is not None and runtime > MAX_RUNTIME_SECONDS:
            problem("Episodes", row, "Runtime", values["Runtime"], "is longer than 6 hours")
        if number is not None and known and (key, number) in episode_rows:
            problem("Episodes", row, "Number", number,
                    f"is given twice for {key} (rows {episode_rows[key, number]} and {row})")
        elif number is not None and known:
            episode_rows[key, number] = row
            given.setdefault(key, []).append(EpisodeDraft(number, name, runtime or 0))
    if problems:
        raise ImportRefused(problems)
    for key, episodes in given.items():
        if key not in by_key:  # a title in RightsDesk not on the Titles sheet: its episodes are replaced
            draft = catalogue.load_title(session, in_catalogue[key][0])
            by_key[key] = draft
            title_drafts.append((0, draft, ""))
        by_key[key].episodes = [_keep_id(by_key[key].episodes, e) for e in sorted(episodes, key=lambda e: e.number)]

    # Everything was checked above; what the services still refuse (someone saved meanwhile) is listed too.
    for row, draft in party_drafts:
        try:
            parties.save_party(session, draft, user=user)
            report.parties.append(draft.name)
        except ValidationError as error:
            problems += [FileProblem(row, f"Parties!{_PARTY_COLUMN.get(p.where, p.where)}", "", _reason(p.message))
                         for p in error.problems]
    names = {name.lower(): party_id for party_id, name in session.execute(select(Party.id, Party.name))}
    for row, draft, producer in title_drafts:
        if producer:
            if producer.lower() not in names:  # its row on the Parties sheet was refused, and said so
                continue
            draft.producer_id = names[producer.lower()]
        try:
            title_id = catalogue.save_title(session, draft, user=user)
        except ValidationError as error:
            problems += [FileProblem(row, f"Titles!{_TITLE_COLUMN.get(p.where, p.where)}", "", _reason(p.message))
                         for p in error.problems]
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
        problems.append(FileProblem(row, "Episodes!Runtime", shown(text), "is not a runtime (MM:SS, HH:MM:SS or seconds)"))
        return None
