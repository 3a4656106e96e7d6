"""Libraries: create, rename, describe, retire and delete them; titles join and leave on dated
days (many at once); which deals grant a library and what revenue it earned; a workbook to
export and import them in bulk (all or nothing). Rules: rightsdesk.domain.libraries."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain.enums import AuditAction
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.domain.libraries import LibraryDraft, Stay, join, leave, library_problems, members_on, normalize_library
from rightsdesk.domain.reading import Refused, clean_text, parse_date
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.persistence.models import Deal, Grant, GrantLibrary, Library, LibraryMember, RevenueLine, Title
from rightsdesk.services import audit
from rightsdesk.services.listing import ListQuery
from rightsdesk.services.revenue import ImportRefused
from rightsdesk.services.spreadsheets import Spreadsheet, sheet_table

LIBRARY_COLUMNS = ("Code", "Name", "Description", "Retired on")
MEMBER_COLUMNS = ("Library", "Title", "Joined on", "Last day in")


@dataclass(frozen=True)
class LibraryRow:
    id: int
    code: str
    name: str
    titles_now: int  # titles in it today
    retired_on: date | None
    granted_by: int  # deals whose grants name it


def library_rows(session: Session, today: date, text: str = "") -> list[LibraryRow]:
    """Every library (or those whose code or name holds `text`), by code."""
    now = select(LibraryMember.library_id, func.count().label("n")).where(
        LibraryMember.added_on <= today, (LibraryMember.removed_on.is_(None)) | (LibraryMember.removed_on >= today)
    ).group_by(LibraryMember.library_id).subquery()
    deals = select(GrantLibrary.library_id, func.count(func.distinct(Grant.deal_id)).label("n")).join(
        Grant, Grant.id == GrantLibrary.grant_id).group_by(GrantLibrary.library_id).subquery()
    query = select(Library.id, Library.code, Library.name, func.coalesce(now.c.n, 0), Library.retired_on,
                   func.coalesce(deals.c.n, 0)).outerjoin(now, now.c.library_id == Library.id) \
        .outerjoin(deals, deals.c.library_id == Library.id).order_by(Library.code)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(func.lower(Library.code).like(pattern) | func.lower(Library.name).like(pattern))
    return [LibraryRow(*row) for row in session.execute(query)]


# The columns the libraries list sorts by (LibraryRow's fields); any other key sorts by code.
LIST_SORTS = frozenset({"code", "name", "titles_now", "granted_by", "retired_on"})


def find_library_ids(session: Session, query: ListQuery, today: date | None = None) -> list[int]:
    """The libraries whose code or name holds the filter text, in the list's order (`query.sort`
    one of LIST_SORTS, empty values last; ties by code). A desk has tens of libraries: sorted
    here, not in SQL."""
    rows = library_rows(session, today or date.today(), query.text)
    key = query.sort if query.sort in LIST_SORTS else "code"

    def value(row: LibraryRow) -> tuple[bool, object]:
        found = getattr(row, key)
        return (found is None, found.casefold() if isinstance(found, str) else found if found is not None else 0)

    rows.sort(key=lambda r: r.code)
    rows.sort(key=value, reverse=query.descending)
    return [r.id for r in rows]


def library_rows_of(session: Session, ids: Sequence[int], today: date | None = None) -> dict[int, LibraryRow]:
    """The list's rows of these libraries, by ID (those deleted meanwhile left out)."""
    wanted = set(ids)
    return {r.id: r for r in library_rows(session, today or date.today()) if r.id in wanted}


def library_id_of(session: Session, typed: str) -> int:
    """A library from what a user typed: its code (any case) or its database number.
    Raises NotFound naming what was typed."""
    found = session.scalar(select(Library.id).where(func.lower(Library.code) == typed.strip().lower()))
    if found is None and typed.strip().isdigit():
        found = session.scalar(select(Library.id).where(Library.id == int(typed)))
    if found is None:
        raise NotFound(f"there is no library '{typed}' (rightsdesk libraries list)")
    return found


def load_library(session: Session, library_id: int) -> LibraryDraft:
    library = session.get(Library, library_id, options=[selectinload(Library.members)])
    if library is None:
        raise NotFound("this library no longer exists: someone deleted it meanwhile")
    return _draft_of(library)


def _draft_of(library: Library) -> LibraryDraft:
    stays = sorted((Stay(m.title_id, m.added_on, m.removed_on) for m in library.members),
                   key=lambda s: (s.title_id, s.added_on))
    return LibraryDraft(library.code, library.name, library.description, library.retired_on, stays,
                        id=library.id, version=library.version)


def save_library(session: Session, draft: LibraryDraft, *, user: str) -> int:
    """Create or update a library with its stays (optimistic concurrency: refused when someone
    saved it since `draft.version`). Raises ValidationError listing every problem."""
    draft = normalize_library(dataclasses.replace(draft, stays=list(draft.stays)))
    codes = _internal_ids(session, {s.title_id for s in draft.stays})
    problems = library_problems(draft, titles=codes)
    taken = session.scalar(select(Library.id).where(func.upper(Library.code) == draft.code, Library.id != (draft.id or 0)))
    if taken is not None:
        problems.append(Problem("code", f"another library has the code {draft.code}"))
    if problems:
        raise ValidationError(problems)
    if draft.id is None:
        library, before = Library(), None
        session.add(library)
    else:
        library = audit.still_current(session, session.get(Library, draft.id, options=[selectinload(Library.members)]),
                                      draft, "library", "library")
        before = _snapshot(_draft_of(library), codes | _internal_ids(session, {m.title_id for m in library.members}))
    library.code, library.name, library.description, library.retired_on = (
        draft.code, draft.name, draft.description, draft.retired_on)
    kept = {(m.title_id, m.added_on): m for m in library.members}
    wanted = {(s.title_id, s.added_on): s for s in draft.stays}
    library.members = [m for key, m in kept.items() if key in wanted] + [
        LibraryMember(title_id=s.title_id, added_on=s.added_on, removed_on=s.removed_on)
        for key, s in wanted.items() if key not in kept]
    for member in library.members:
        member.removed_on = wanted[(member.title_id, member.added_on)].removed_on
    try:
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, "library", draft.id or 0) from error
    after = _snapshot(_draft_of(library), codes)
    if before != after:
        audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                     entity="library", entity_id=library.id, summary=f"{library.code} {library.name}",
                     before=before, after=after)
    return library.id


def add_titles(session: Session, library_id: int, title_ids: list[int], joined_on: date, *, user: str) -> list[int]:
    """Titles join the library on `joined_on` (covered by its grants from that day). Returns the
    ids of those already in it then (left as they were)."""
    draft = load_library(session, library_id)
    draft.stays, already = join(draft.stays, title_ids, joined_on)
    save_library(session, draft, user=user)
    return already


def remove_titles(session: Session, library_id: int, title_ids: list[int], last_day: date, *, user: str) -> list[int]:
    """Titles leave the library after `last_day` (their last day in it). Returns the ids of
    those not in it on that day (left as they were)."""
    draft = load_library(session, library_id)
    draft.stays, missed = leave(draft.stays, title_ids, last_day)
    save_library(session, draft, user=user)
    return missed


def delete_library(session: Session, library_id: int, *, user: str) -> None:
    """Delete a library no grant names (refused with the deals that do: retire it instead)."""
    library = session.get(Library, library_id)
    if library is None:
        raise NotFound("this library no longer exists: someone deleted it meanwhile")
    granted = granting_deals(session, library_id)
    if granted:
        raise UserError(f"{library.code} is granted by {', '.join(d['reference'] for d in granted)}: "
                        "it cannot be deleted; retire it instead (its history and grants stay)")
    before = _snapshot(_draft_of(library), _internal_ids(session, {m.title_id for m in library.members}))
    session.delete(library)
    session.flush()
    audit.record(session, user=user, action=AuditAction.DELETE, entity="library", entity_id=library_id,
                 summary=f"{before['code']} {before['name']}", before=before, after=None)


def granting_deals(session: Session, library_id: int) -> list[dict[str, Any]]:
    """The deals whose grants name the library: reference, direction, status, term."""
    return [dict(deal_id=deal_id, reference=reference, direction=direction.value, status=status.value,
                 start=start, end=end)
            for deal_id, reference, direction, status, start, end in session.execute(
                select(Deal.id, Deal.reference, Deal.direction, Deal.status, Grant.term_start, Grant.term_end)
                .join(Grant, Grant.deal_id == Deal.id).join(GrantLibrary, GrantLibrary.grant_id == Grant.id)
                .where(GrantLibrary.library_id == library_id).order_by(Deal.reference, Grant.id))]


def library_revenue(session: Session, library_id: int) -> list[tuple[date, str, Decimal]]:
    """What the library earned as reported by platforms (lines reported for the library as a
    whole): (period end, currency, gross), by period."""
    return [(day, currency, Decimal(total)) for day, currency, total in session.execute(
        select(RevenueLine.period_end, RevenueLine.currency, func.sum(RevenueLine.gross_amount))
        .where(RevenueLine.library_id == library_id).group_by(RevenueLine.period_end, RevenueLine.currency)
        .order_by(RevenueLine.period_end, RevenueLine.currency))]


def titles_on(session: Session, library_id: int, day: date) -> set[int]:
    return members_on(load_library(session, library_id).stays, day)


def _internal_ids(session: Session, title_ids: set[int]) -> dict[int, str]:
    if not title_ids:
        return {}
    return dict(session.execute(select(Title.id, Title.internal_id).where(Title.id.in_(title_ids))).all())


def _snapshot(draft: LibraryDraft, codes: dict[int, str]) -> dict[str, Any]:
    return {"code": draft.code, "name": draft.name, "description": draft.description,
            "retired_on": draft.retired_on.isoformat() if draft.retired_on else None,
            "titles": [f"{codes.get(s.title_id, s.title_id)} {s.added_on.isoformat()}–"
                       f"{s.removed_on.isoformat() if s.removed_on else ''}" for s in draft.stays]}


# -- the workbook ---------------------------------------------------------------------------------


def export_workbook(session: Session) -> bytes:
    """Every library and every stay of every title in them: sheet "Libraries" (Code, Name,
    Description, Retired on) and sheet "Titles" (Library, Title internal ID, Joined on, Last day
    in), dates as real dates; the same layout `import_workbook` reads."""
    from openpyxl import Workbook  # (with numpy, ~0.3 s: loaded by an export, not with the Libraries screen)

    book = Workbook()
    libraries = book.active
    libraries.title = "Libraries"
    libraries.append(LIBRARY_COLUMNS)
    titles = book.create_sheet("Titles")
    titles.append(MEMBER_COLUMNS)
    codes = dict(session.execute(select(Title.id, Title.internal_id)).all())
    for library in session.scalars(select(Library).options(selectinload(Library.members)).order_by(Library.code)):
        libraries.append([library.code, library.name, library.description, library.retired_on])
        for member in sorted(library.members, key=lambda m: (codes.get(m.title_id, ""), m.added_on)):
            titles.append([library.code, codes.get(member.title_id), member.added_on, member.removed_on])
    for sheet in (libraries, titles):
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column, width in zip("ABCD", (16, 36, 48, 14)):
            sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportedLibraries:
    created: list[str]
    updated: list[str]
    stays: int


def import_workbook(session: Session, content: bytes, *, user: str) -> ImportedLibraries:
    """Libraries from the export's layout, all or nothing: each library on the Libraries sheet is
    created or updated (by code) and gets exactly the stays the Titles sheet gives it. Dates are
    spreadsheet dates or ISO text. Every problem of the file is listed in one pass by sheet, row
    and column (two stays of a title that overlap: the later row, naming the earlier one)."""
    book = Spreadsheet(content)
    missing = [name for name in ("Libraries", "Titles") if name not in book.sheet_names]
    if missing:
        book.close()
        raise UserError(f"the workbook has no sheet {' or '.join(missing)}; start from `rightsdesk libraries export FILE`")
    problems: list[FileProblem] = []
    library_rows_ = sheet_table(book, "Libraries", LIBRARY_COLUMNS, problems)
    member_rows = sheet_table(book, "Titles", MEMBER_COLUMNS, problems)
    book.close()
    titles = dict(session.execute(select(Title.internal_id, Title.id)).all())

    def read(reader: Any, sheet: str, row: int, column: str, value: Any, *args: Any) -> Any:
        try:
            return reader(value, *args)
        except Refused as refused:
            problems.append(FileProblem(row, f"{sheet}!{column}", "" if value is None else str(value), str(refused)))
            return None

    drafts: dict[str, LibraryDraft] = {}
    draft_rows: dict[str, int] = {}
    for row, values in library_rows_:
        code = (read(clean_text, "Libraries", row, "Code", values["Code"]) or "").upper()
        retired = values["Retired on"]
        draft = LibraryDraft(code, read(clean_text, "Libraries", row, "Name", values["Name"]) or "",
                             read(clean_text, "Libraries", row, "Description", values["Description"]) or "",
                             read(parse_date, "Libraries", row, "Retired on", retired, "iso")
                             if retired not in (None, "") else None)
        said = {p.column for p in problems if p.row == row and p.column.startswith("Libraries!")}
        for found in library_problems(normalize_library(dataclasses.replace(draft)), titles={}):
            column = {"code": "Code", "name": "Name"}.get(found.where, found.where)
            if f"Libraries!{column}" not in said:
                problems.append(FileProblem(row, f"Libraries!{column}", "", found.message))
        if code in drafts:
            problems.append(FileProblem(row, "Libraries!Code", code, f"appears twice (rows {draft_rows[code]} and {row})"))
            continue
        drafts[code], draft_rows[code] = draft, row
    stays: dict[str, list[tuple[int, Stay]]] = {}  # library code -> (row on the Titles sheet, stay)
    for row, values in member_rows:
        code = str(values["Library"] or "").strip().upper()
        title = str(values["Title"] or "").strip()
        if code not in drafts:
            problems.append(FileProblem(row, "Titles!Library", code, "is not a code on the Libraries sheet"))
        if title not in titles:
            problems.append(FileProblem(row, "Titles!Title", title, "is not a title's internal ID"))
        joined = read(parse_date, "Titles", row, "Joined on", values["Joined on"], "iso")
        last = values["Last day in"]
        left = read(parse_date, "Titles", row, "Last day in", last, "iso") if last not in (None, "") else None
        if joined is not None and left is not None and left < joined:
            problems.append(FileProblem(row, "Titles!Last day in", left.isoformat(),
                                        f"is before the title joins ({joined.isoformat()})"))
        elif code in drafts and title in titles and joined is not None:
            stays.setdefault(code, []).append((row, Stay(titles[title], joined, left)))
    codes = {title_id: internal_id for internal_id, title_id in titles.items()}
    for code, rows in stays.items():  # a title's stays in a library never overlap: both rows are named
        previous: tuple[int, Stay] | None = None
        for row, stay in sorted(rows, key=lambda r: (r[1].title_id, r[1].added_on, r[0])):
            if previous is not None and previous[1].title_id == stay.title_id and (
                    previous[1].removed_on is None or stay.added_on <= previous[1].removed_on):
                problems.append(FileProblem(
                    row, "Titles!Joined on", stay.added_on.isoformat(),
                    f"starts a second stay of {codes[stay.title_id]} in {code} while its stay from "
                    f"{previous[1].added_on.isoformat()} (row {previous[0]}) has not ended"))
            previous = (row, stay)
        drafts[code].stays = [stay for _, stay in rows]
    if problems:
        raise ImportRefused(problems)
    existing = {code.upper(): (library_id, version) for library_id, code, version in
                session.execute(select(Library.id, Library.code, Library.version))}
    report = ImportedLibraries([], [], 0)
    for code, draft in drafts.items():
        draft.id, draft.version = existing.get(code, (None, None))
        try:
            save_library(session, draft, user=user)
        except ValidationError as error:
            problems += [FileProblem(draft_rows[code], f"Libraries!{p.where.capitalize()}", "", p.message)
                         for p in error.problems]  # what changed meanwhile (all else was checked above)
            continue
        (report.updated if draft.id else report.created).append(code)
        report.stays += len(draft.stays)
    if problems:
        raise ImportRefused(problems)  # raised in the caller's transaction: everything rolls back
    return report
