"""Importing platform revenue reports: sources and their saved mappings, all-or-nothing batches,
matching lines to titles, parking and assigning what does not match, rolling a batch back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import numpy
from openpyxl import load_workbook
from rapidfuzz import fuzz, process
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rightsdesk.domain import revenue
from rightsdesk.domain.enums import BatchStatus, StatementStatus
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.revenue import FileProblem, Options, ParsedLine
from rightsdesk.persistence.models import (
    ColumnMapping,
    Episode,
    ImportBatch,
    Library,
    RevenueLine,
    RevenueSource,
    Statement,
    StatementRevenue,
    Title,
    TitleAlias,
    TitleLocalizedName,
)
from rightsdesk.services import audit, reference, statements
from rightsdesk.services.statement_revenue import late_lines

Progress = Callable[[str, int], None]


class ImportRefused(UserError):
    """A file with problems: nothing was written; every problem is listed."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        shown = "\n".join(f"• {p}" for p in problems[:30])
        more = f"\n… and {len(problems) - 30} more" if len(problems) > 30 else ""
        super().__init__(f"nothing was imported: {len(problems)} problem(s) in the file\n{shown}{more}")


class DuplicateImport(UserError):
    def __init__(self, batch: ImportBatch):
        self.batch_id = batch.id
        super().__init__(f"this file was already imported on {batch.imported_at:%Y-%m-%d %H:%M} UTC by "
                         f"{batch.imported_by or 'someone'} as batch {batch.id} ({batch.file_name}); "
                         "import it again only to replace that batch")


@dataclass(frozen=True)
class Table:
    """A report's header and data rows, as read from CSV or XLSX."""

    headers: list[str]
    rows: list[list[Any]]


def read_table(content: bytes, file_name: str, sheet: str = "") -> Table:
    if content[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm")):
        try:
            book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds for a bad file)
            raise UserError(f"{file_name} is not a workbook that can be read ({error})") from error
        if sheet and sheet not in book.sheetnames:
            raise UserError(f"{file_name} has no sheet '{sheet}' (it has {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)
                if any(v is not None and str(v).strip() for v in row)]
    else:
        rows = revenue.csv_rows(content)  # type: ignore[assignment]
    if not rows:
        raise UserError(f"{file_name} holds no rows")
    return Table([str(h).strip() if h is not None else "" for h in rows[0]], rows[1:])


# -- sources and their mappings -----------------------------------------------------------------


def save_source(session: Session, name: str, *, currency: str | None = None, party_id: int | None = None) -> int:
    name = name.strip()
    if not name:
        raise UserError("a revenue source needs a name")
    found = session.scalar(select(RevenueSource).where(RevenueSource.name == name))
    if found is None:
        found = RevenueSource(name=name)
        session.add(found)
    found.default_currency, found.party_id = currency, party_id
    session.flush()
    return found.id


def save_mapping(session: Session, source_id: int, name: str, columns: dict[str, str], options: Options) -> int:
    unknown = [f for f in columns if f not in revenue.FIELDS]
    if unknown:
        raise UserError(f"not fields of a revenue line: {', '.join(unknown)}")
    found = session.scalar(select(ColumnMapping).where(ColumnMapping.source_id == source_id, ColumnMapping.name == name))
    if found is None:
        found = ColumnMapping(source_id=source_id, name=name)
        session.add(found)
    found.columns = {k: v for k, v in columns.items() if v}
    found.options = {"decimal": options.decimal, "day_first": options.day_first, "currency": options.currency,
                     "revenue_type": options.revenue_type.value, "sheet": options.sheet}
    session.flush()
    return found.id


def load_mapping(session: Session, mapping_id: int) -> tuple[dict[str, str], Options]:
    found = session.get(ColumnMapping, mapping_id)
    if found is None:
        raise NotFound(f"column mapping {mapping_id} no longer exists")
    saved = dict(found.options or {})
    options = Options(decimal=saved.get("decimal", "auto"), day_first=bool(saved.get("day_first")),
                      currency=saved.get("currency", ""), sheet=saved.get("sheet", ""),
                      revenue_type=revenue.RevenueType(saved.get("revenue_type", "other")))
    return dict(found.columns), options


# -- importing ------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    batch_id: int
    lines: int
    matched: int
    unmatched: int
    totals: dict[str, Decimal] = field(default_factory=dict)  # gross by currency
    replaced_batch: int | None = None
    # Lines of periods already issued, by where they go: the deal's next statement not issued.
    late: dict[str, int] = field(default_factory=dict)

    @property
    def late_lines(self) -> int:
        return sum(self.late.values())


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def parse(session: Session, table: Table, mapping: dict[str, str], options: Options) -> revenue.ParsedFile:
    return revenue.parse_rows(table.headers, table.rows, mapping, options,
                              currencies=reference.currency_codes(session), countries=reference.country_codes(session),
                              media=set(reference.media_codes(session)))


def import_file(session: Session, source_id: int, file_name: str, content: bytes, mapping: dict[str, str],
                options: Options, *, user: str, replace: bool = False, progress: Progress | None = None) -> ImportReport:
    """All or nothing: a file with any problem writes nothing and lists every problem."""
    report_progress = progress or (lambda stage, percent: None)
    if session.get(RevenueSource, source_id) is None:
        raise NotFound(f"revenue source {source_id} no longer exists")
    digest = content_hash(content)
    earlier = session.scalar(select(ImportBatch).where(ImportBatch.content_hash == digest,
                                                       ImportBatch.status == BatchStatus.IMPORTED))
    if earlier is not None and not replace:
        raise DuplicateImport(earlier)
    report_progress("Reading the file", 5)
    table = read_table(content, file_name, options.sheet)
    parsed = parse(session, table, mapping, options)
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    replaced = None
    if earlier is not None:
        rollback_batch(session, earlier.id)
        replaced = earlier.id
    report_progress("Matching titles", 30)
    matcher = Matcher(session, source_id)
    batch = ImportBatch(source_id=source_id, file_name=file_name, content_hash=digest, imported_by=user,
                        row_count=len(parsed.lines))
    session.add(batch)
    session.flush()
    rows, matched, totals = [], 0, {}
    for number, line in enumerate(parsed.lines):
        title_id, episode_id, library_id = matcher.match(line)
        matched += title_id is not None or library_id is not None
        totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.gross_amount
        rows.append(dict(
            batch_id=batch.id, row_number=line.row, period_start=line.period_start, period_end=line.period_end,
            territory_code=line.territory, media_code=line.media, revenue_type=line.revenue_type,
            reported_identifier=line.identifier, title_id=title_id, episode_id=episode_id, library_id=library_id,
            units=line.units, gross_amount=line.gross_amount, platform_fees=line.platform_fees, taxes=line.taxes,
            currency=line.currency,
        ))
        if number % 2000 == 0:
            report_progress("Writing lines", 30 + 60 * number // max(1, len(parsed.lines)))
    if rows:
        # Core executemany: the ORM's bulk path costs as much again for rows it does not track
        session.connection().execute(RevenueLine.__table__.insert(), rows)
    report_progress("Checking periods already issued", 95)
    late = late_lines(session, batch.id)
    report_progress("Done", 100)
    return ImportReport(batch.id, len(rows), matched, len(rows) - matched, totals, replaced, late)


class Matcher:
    """Finds the title (and episode, or library) a report's identifier means: a remembered alias
    first, then our internal ID, EIDR, original or localized name, or library code.

    Each kind of identifier is one dictionary, loaded once per import (one query each), not a
    query per line: a month of a large catalogue is a million lines."""

    def __init__(self, session: Session, source_id: int):
        # aliases of this source win over aliases of every source
        self.aliases = dict(session.execute(select(TitleAlias.alias, TitleAlias.title_id).where(
            TitleAlias.source_id.is_(None))).all())
        self.aliases.update(session.execute(select(TitleAlias.alias, TitleAlias.title_id).where(
            TitleAlias.source_id == source_id)).all())
        self.internal_ids: dict[str, int] = {}
        self.eidrs: dict[str, int] = {}
        self.names: dict[str, int] = {}
        for title_id, internal_id, eidr, name in session.execute(
                select(Title.id, Title.internal_id, Title.eidr, Title.original_name).order_by(Title.id.desc())):
            # descending ids: where two titles share a name, the older one is kept, as a query took it
            self.internal_ids[internal_id] = title_id
            if eidr:
                self.eidrs[eidr] = title_id
            self.names[name] = title_id
        self.localized = dict(session.execute(select(TitleLocalizedName.name, TitleLocalizedName.title_id)
                                              .order_by(TitleLocalizedName.id.desc())).all())
        self.libraries = dict(session.execute(select(Library.code, Library.id)).all())
        self.session = session
        self.episodes: dict[int, dict[int, int]] = {}  # title -> number -> episode, loaded per title met

    def match(self, line: ParsedLine) -> tuple[int | None, int | None, int | None]:
        title_id = self.title(line.identifier, line.identifier_kind)
        library_id = None
        if title_id is None and line.identifier_kind in ("library", "title_name", "title_id"):
            library_id = self.libraries.get(line.identifier)
        episode_id = None
        if title_id is not None and line.episode is not None:
            if title_id not in self.episodes:
                self.episodes[title_id] = dict(self.session.execute(
                    select(Episode.number, Episode.id).where(Episode.title_id == title_id)).all())
            episode_id = self.episodes[title_id].get(line.episode)
        return title_id, episode_id, library_id

    def title(self, identifier: str, kind: str) -> int | None:
        if identifier in self.aliases:
            return self.aliases[identifier]
        found = None
        if kind in ("title_id", "title_name"):
            found = self.internal_ids.get(identifier)
        if found is None and kind in ("eidr", "title_id"):
            found = self.eidrs.get(identifier.upper())
        if found is None and kind == "title_name":
            found = self.names.get(identifier) or self.localized.get(identifier)
        return found


def rollback_batch(session: Session, batch_id: int, *, user: str = "") -> None:
    """Take a batch's lines out again; refused while an issued statement uses any of them.
    Draft statements built on it are drafted again without them, and so are the same deals'
    later drafts, which stand on their balances."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"import batch {batch_id} does not exist (rightsdesk revenue batches lists them)")
    if batch.status is BatchStatus.ROLLED_BACK:
        raise UserError(f"batch {batch_id} was already rolled back")
    used = select(StatementRevenue.statement_id).join(RevenueLine, RevenueLine.id == StatementRevenue.revenue_line_id).where(
        RevenueLine.batch_id == batch_id)
    issued = session.scalars(select(Statement.number).where(Statement.id.in_(used),
                                                           Statement.status == StatementStatus.ISSUED)).all()
    if issued:
        raise UserError(f"batch {batch_id} is used by issued statement(s) {', '.join(n or '?' for n in issued)}; "
                        "correct it with an adjustment in a later period instead")
    redraft: dict[int, tuple[date, str]] = {}  # deal -> (start, label) of its earliest draft built on the batch
    for statement in session.scalars(select(Statement).where(Statement.id.in_(used))):
        period = (statement.period_start, statement.period_label)
        redraft[statement.deal_id] = min(redraft.get(statement.deal_id, period), period)
        session.delete(statement)
    session.flush()
    session.execute(delete(RevenueLine).where(RevenueLine.batch_id == batch_id))
    batch.status = BatchStatus.ROLLED_BACK
    session.flush()
    for deal_id, (_, label) in sorted(redraft.items(), key=lambda item: item[1]):
        statements.run(session, label, user=user or audit.current_user(), deal_ids={deal_id})


# -- what did not match ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmatched:
    """Unmatched lines that share an identifier in one source, with likely titles."""

    source_id: int
    identifier: str
    lines: int
    gross: dict[str, Decimal]
    suggestions: list[tuple[int, str]]


class TitleIndex:
    """Every title's original name, localized names and internal ID, lower-cased once, for
    suggesting titles to an identifier no title matched (rapidfuzz)."""

    def __init__(self, session: Session):
        names = list(session.execute(select(Title.id, Title.original_name, Title.internal_id)).all())
        localized = list(session.execute(select(TitleLocalizedName.title_id, TitleLocalizedName.name)).all())
        by_text = {name.casefold(): (title_id, name) for title_id, name, _ in names}
        by_text.update({code.casefold(): (title_id, name) for title_id, name, code in names})
        by_text.update({name.casefold(): (title_id, name) for title_id, name in localized})
        self.texts = list(by_text)
        self.titles = list(by_text.values())

    def suggest(self, identifiers: list[str], limit: int = 5, chunk: int = 256) -> list[list[tuple[int, str]]]:
        """For each identifier, up to `limit` likely titles (id, name), best first; none below a
        similarity of 60 %. Scored a chunk of identifiers at a time against every text, on
        every core (rapidfuzz's cdist), so memory stays at chunk x texts bytes."""
        found: list[list[tuple[int, str]]] = []
        for start in range(0, len(identifiers), chunk):
            queries = [i.casefold() for i in identifiers[start:start + chunk]]
            scores = process.cdist(queries, self.texts, scorer=fuzz.ratio, score_cutoff=60, workers=-1, dtype=numpy.uint8)
            for row in scores:
                best = numpy.argsort(-row.astype(numpy.int16), kind="stable")[:limit * 3]
                found.append(list(dict.fromkeys(self.titles[i] for i in best if row[i]))[:limit])
        return found


def unmatched(session: Session, *, limit_suggestions: int = 5) -> list[Unmatched]:
    rows = session.execute(
        select(ImportBatch.source_id, RevenueLine.reported_identifier, RevenueLine.currency,
               func.count(), func.sum(RevenueLine.gross_amount))
        .join(ImportBatch, ImportBatch.id == RevenueLine.batch_id)
        .where(RevenueLine.title_id.is_(None), RevenueLine.library_id.is_(None))
        .group_by(ImportBatch.source_id, RevenueLine.reported_identifier, RevenueLine.currency)
    ).all()
    grouped: dict[tuple[int, str], tuple[int, dict[str, Decimal]]] = {}
    for source_id, identifier, currency, count, gross in rows:
        lines, totals = grouped.get((source_id, identifier), (0, {}))
        totals[currency] = gross or Decimal(0)  # SUM keeps the column's exact type
        grouped[(source_id, identifier)] = (lines + count, totals)
    keys = sorted(grouped)
    suggestions = TitleIndex(session).suggest([identifier for _, identifier in keys], limit_suggestions) if keys else []
    return [Unmatched(source_id, identifier, *grouped[(source_id, identifier)], found)
            for (source_id, identifier), found in zip(keys, suggestions)]


def assign(session: Session, source_id: int, identifier: str, title_id: int, *, remember: bool = True) -> int:
    """Match every unmatched line of a source with this identifier to a title; remember the
    identifier as an alias so that later imports match it. Returns the lines assigned."""
    if session.get(Title, title_id) is None:
        raise NotFound(f"title {title_id} no longer exists")
    ids = list(session.scalars(select(RevenueLine.id).join(ImportBatch).where(
        ImportBatch.source_id == source_id, RevenueLine.reported_identifier == identifier,
        RevenueLine.title_id.is_(None), RevenueLine.library_id.is_(None))))
    if ids:
        session.execute(RevenueLine.__table__.update().where(RevenueLine.id.in_(ids)).values(title_id=title_id))
    if remember and not session.scalar(select(TitleAlias.id).where(TitleAlias.source_id == source_id,
                                                                    TitleAlias.alias == identifier)):
        session.add(TitleAlias(source_id=source_id, alias=identifier, title_id=title_id))
    session.flush()
    return len(ids)
