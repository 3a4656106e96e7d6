"""Importing platform revenue reports: sources and their saved mappings, all-or-nothing batches,
matching lines to titles, parking and assigning what does not match, rolling a batch back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rightsdesk.domain import revenue
from rightsdesk.domain.enums import AuditAction, BatchStatus, StatementStatus
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.reading import normalise_eidr
from rightsdesk.domain.revenue import FileProblem, Options
from rightsdesk.domain.revenue_report import NO_UNITS, LineReader, ReportLines
from rightsdesk.domain.words import plural, plural_word
from rightsdesk.persistence.bulk import insert_plain, keys_checked_at_once, no_cycle_collection
from rightsdesk.persistence.database import take_turns
from rightsdesk.persistence.models import (
    ColumnMapping,
    Episode,
    ImportBatch,
    Library,
    RevenueLine,
    RevenueSource,
    Statement,
    Title,
    TitleAlias,
    TitleLocalizedName,
)
from rightsdesk.services import audit, reference
from rightsdesk.services.revenue_files import (
    Reading,
    Report,
    Table,
    decoded_head,
    proposed_encoding,
    read_head,
    read_report,
    read_table,
)
from rightsdesk.services.statement_revenue import (
    hold_line_by_line,
    late_lines,
    statements_holding,
    statements_using_batch,
)

__all__ = ["Report", "Table", "decoded_head", "proposed_encoding", "read_head", "read_table"]  # (read here by the wizard, the command line, other imports)

Progress = Callable[[str, int], None]


class ImportRefused(UserError):
    """A file with problems: nothing was written; every problem is listed (the first
    revenue_report.MAX_PROBLEMS of a file with more; `count` says how many there are)."""

    def __init__(self, problems: list[FileProblem], count: int | None = None):
        self.problems = problems
        self.count = len(problems) if count is None else count
        shown = "\n".join(f"• {p}" for p in problems[:30])
        more = f"\n… and {self.count - 30} more" if self.count > 30 else ""
        super().__init__(f"nothing was imported: {plural(self.count, 'problem')} in the file\n{shown}{more}")


class DuplicateImport(UserError):
    def __init__(self, batch: ImportBatch):
        self.batch_id = batch.id
        super().__init__(f"this file was already imported on {batch.imported_at:%Y-%m-%d %H:%M} UTC by "
                         f"{batch.imported_by or 'someone'} as batch {batch.id} ({batch.file_name}); "
                         "import it again only to replace that batch")


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
    found.options = {"decimal": options.decimal, "dates": options.dates, "currency": options.currency,
                     "revenue_type": options.revenue_type.value, "sheet": options.sheet, "encoding": options.encoding,
                     "revenue_types": {word: kind.value for word, kind in sorted(options.revenue_types.items())}}
    session.flush()
    return found.id


def load_mapping(session: Session, mapping_id: int) -> tuple[dict[str, str], Options]:
    found = session.get(ColumnMapping, mapping_id)
    if found is None:
        raise NotFound(f"column mapping {mapping_id} no longer exists")
    return dict(found.columns), options_of(found.options or {})


def options_of(saved: dict[str, Any]) -> Options:
    """A saved mapping's options. A mapping saved before dates were declared says `day_first`:
    true reads as "dmy"; false as "iso" (dates written with numbers only are then refused, naming
    the option, where they were read month-first unasked)."""
    dates = saved.get("dates") or ("dmy" if saved.get("day_first") else "iso")
    return Options(decimal=saved.get("decimal") or "auto", dates=dates, currency=saved.get("currency") or "",
                   sheet=saved.get("sheet") or "", encoding=saved.get("encoding") or "",
                   revenue_type=revenue.RevenueType(saved.get("revenue_type") or "other"),
                   revenue_types=dict(saved.get("revenue_types") or {}))


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
    """A few rows read as lines, for a preview (check_file reads a whole report)."""
    return revenue.parse_rows(table.headers, table.rows, mapping, options, **_known_codes(session),
                              numbers=table.numbers or None)


def _known_codes(session: Session) -> dict[str, set[str]]:
    return {"currencies": reference.currency_codes(session), "countries": reference.country_codes(session),
            "media": set(reference.media_codes(session))}


# -- reading a report, a chunk at a time ---------------------------------------------------------

CHUNK_ROWS = 20_000  # rows read, or lines written, between two progress reports
ANALYZED_FROM = 50_000  # lines imported at once from which PostgreSQL's statistics are gathered again (0.2 s)
# Rows read at once. A chunk's columns are read by loops in C (map, join, the amounts' pattern)
# that hold the interpreter lock throughout: 20 000 rows held it ~20 ms at a time, and the
# window, which needs the lock for each event it handles in Python, stalled 200-460 ms while the
# wizard checked a 100 000-line file (bench/gui.py). 2 000 rows hold it ~2 ms, and read as fast.
READ_ROWS = 2_000


@dataclass
class CheckedFile:
    """A report read once, whole: its lines as the import writes them, or every problem."""

    file_name: str
    content_hash: str  # SHA-256 of the bytes read, hex
    headers: list[str]
    lines: ReportLines
    problems: list[FileProblem]  # the first revenue_report.MAX_PROBLEMS
    problem_count: int
    earlier_batch: int | None = None  # imported before from the same bytes, when checked

    @property
    def totals(self) -> dict[str, Decimal]:
        return self.lines.totals()


def check_file(session: Session, file_name: str, report: Report, mapping: dict[str, str], options: Options, *,
               progress: Progress | None = None) -> CheckedFile:
    """Read a whole report once, a chunk at a time: every line as import_checked writes it, or
    every problem; and whether the same bytes were imported before. Writes nothing."""
    report_progress = progress or (lambda stage, percent: None)
    known = _known_codes(session)

    def check(reading: Reading) -> CheckedFile:
        reader = LineReader(reading.headers, mapping, options, **known, header_row=reading.header_row)
        if not reader.mapping_refused:
            for number, (numbers, chunk) in enumerate(reading.chunks(READ_ROWS), start=1):
                reader.read(chunk, numbers)
                if number % (CHUNK_ROWS // READ_ROWS) == 0:
                    report_progress(f"Read {reader.rows_read:,} rows", reading.percent())
            reader.finish()
        return CheckedFile(file_name, reading.digest(), reading.headers, reader.lines, reader.problems,
                           reader.problem_count)

    report_progress("Reading the file", 0)
    with no_cycle_collection():
        checked: CheckedFile = read_report(report, file_name, options.sheet, check, encoding=options.encoding)
    earlier = _imported_before(session, checked.content_hash)
    checked.earlier_batch = earlier.id if earlier is not None else None
    return checked


def _imported_before(session: Session, digest: str) -> ImportBatch | None:
    return session.scalar(select(ImportBatch).where(ImportBatch.content_hash == digest,
                                                    ImportBatch.status == BatchStatus.IMPORTED))


# -- importing ------------------------------------------------------------------------------------


def import_file(session: Session, source_id: int, file_name: str, report: Report, mapping: dict[str, str],
                options: Options, *, user: str, replace: bool = False, progress: Progress | None = None) -> ImportReport:
    """All or nothing: a file with any problem writes nothing and lists every problem. The file
    is read once, a chunk at a time (check_file), then its lines written (import_checked)."""
    report_progress = progress or (lambda stage, percent: None)
    if session.get(RevenueSource, source_id) is None:
        raise NotFound(f"revenue source {source_id} no longer exists")
    checked = check_file(session, file_name, report, mapping, options,
                         progress=lambda stage, percent: report_progress(stage, percent // 2))
    return import_checked(session, source_id, checked, user=user, replace=replace,
                          progress=lambda stage, percent: report_progress(stage, 50 + percent // 2))


def import_checked(session: Session, source_id: int, checked: CheckedFile, *, user: str, replace: bool = False,
                   progress: Progress | None = None) -> ImportReport:
    """Write the lines of a checked report as one batch: refused whole if it has any problem, or
    if the same bytes were imported before (unless it replaces that batch)."""
    report_progress = progress or (lambda stage, percent: None)
    if session.get(RevenueSource, source_id) is None:
        raise NotFound(f"revenue source {source_id} no longer exists")
    earlier = _imported_before(session, checked.content_hash)
    if earlier is not None and not replace:
        raise DuplicateImport(earlier)
    if checked.problem_count:
        raise ImportRefused(checked.problems, checked.problem_count)
    replaced = None
    if earlier is not None:
        rollback_batch(session, earlier.id)
        replaced = earlier.id
    report_progress("Matching titles", 5)
    lines = checked.lines
    batch = ImportBatch(source_id=source_id, file_name=checked.file_name, content_hash=checked.content_hash,
                        imported_by=user, row_count=len(lines))
    session.add(batch)
    session.flush()
    with no_cycle_collection():
        matched = _LineWriter(session, source_id, batch.id, lines).write(report_progress)
    report_progress("Checking periods already issued", 95)
    late = late_lines(session, batch.id)
    report_progress("Done", 100)
    return ImportReport(batch.id, len(lines), matched, len(lines) - matched, lines.totals(), replaced, late)


IMPORT_CACHE_KIB = 192 * 1024  # SQLite page cache while a batch is written (see _LineWriter._page_cache)
_COLUMNS = ("batch_id", "row_number", "period_start", "period_end", "territory_code", "media_code", "revenue_type",
            "reported_identifier", "title_id", "episode_id", "library_id", "units", "gross_amount", "platform_fees",
            "taxes", "currency")


class _LineWriter:
    """Writes a report's lines with one bulk insert of plain tuples a chunk (persistence.bulk.
    insert_plain: executemany on SQLite, COPY on PostgreSQL), the way the database
    stores them: each distinct value of a column made ready once (dates, types), amounts already
    the integers persistence's Amount stores, titles matched once per distinct identifier."""

    def __init__(self, session: Session, source_id: int, batch_id: int, lines: ReportLines):
        table = RevenueLine.__table__
        # amounts go in as read, integers: the two scales must be the same
        assert table.c.gross_amount.type.scale == revenue.AMOUNT_PLACES  # type: ignore[attr-defined]
        assert table.c.units.type.scale == revenue.UNITS_PLACES  # type: ignore[attr-defined]
        self.session, self.connection = session, session.connection()
        dialect = self.connection.dialect
        self.lines, self.batch_id = lines, batch_id

        def stored(column: str, values: Iterable[Any]) -> list[Any]:
            bind = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
            return [None if v is None else bind(v) if bind else v for v in values]

        periods = lines.values["periods"].values
        self.starts = stored("period_start", (start for start, _ in periods))
        self.ends = stored("period_end", (end for _, end in periods))
        self.territories = stored("territory_code", lines.values["territories"].values)
        self.media = stored("media_code", lines.values["media"].values)
        self.types = stored("revenue_type", lines.values["revenue_types"].values)
        self.currencies = stored("currency", lines.values["currencies"].values)
        identifiers = lines.values["identifiers"].values
        self.reported = [identifier for identifier, _ in identifiers]
        matcher = Matcher(session, source_id)
        self.titles, self.libraries = matcher.match_all(identifiers)
        self.episodes: dict[tuple[int, int], int] = {}
        if lines.codes["episodes"]:
            numbers = lines.values["episodes"].values
            wanted = {(self.titles[i], numbers[e]) for i, e in zip(lines.codes["identifiers"], lines.codes["episodes"])}
            self.episodes = matcher.episodes({(t, e) for t, e in wanted if t is not None and e is not None})
            missing = {(t, e) for t, e in wanted if t is not None and e is not None} - set(self.episodes)
            if missing:
                raise ImportRefused(self._episode_problems(missing, numbers))

    def _episode_problems(self, missing: set[tuple[int, int]], numbers: list[Any]) -> list[FileProblem]:
        """A line naming an episode its title does not have (116 of 115) is refused, never kept
        without its episode."""
        lines = self.lines
        titles = {t for t, _ in missing}
        held = dict(self.connection.execute(select(Episode.title_id, func.max(Episode.number))
                                            .where(Episode.title_id.in_(titles)).group_by(Episode.title_id)).all())
        codes = dict(self.connection.execute(select(Title.id, Title.internal_id).where(Title.id.in_(titles))).all())
        problems = []
        for n, (identifier, episode) in enumerate(zip(lines.codes["identifiers"], lines.codes["episodes"])):
            title, number = self.titles[identifier], numbers[episode]
            if (title, number) in missing:
                problems.append(FileProblem(lines.rows[n], "episode", str(number),
                                            f"is not an episode of {codes.get(title, title)} (it has {held.get(title) or 0})"))
        return problems

    def write(self, progress: Progress) -> int:
        """Insert every line; the number matched to a title or library."""
        lines, count = self.lines, len(self.lines)
        with self._page_cache(), keys_checked_at_once(self.session, RevenueLine.__table__,
                                                      RevenueLine.batch_id == self.batch_id):
            for start in range(0, count, CHUNK_ROWS):
                stop = min(count, start + CHUNK_ROWS)
                insert_plain(self.connection, RevenueLine.__tablename__, _COLUMNS, self._rows(start, stop))
                progress(f"Writing line {stop:,} of {count:,}", 5 + 90 * stop // count)
        if count >= ANALYZED_FROM and self.connection.dialect.name == "postgresql":
            # PostgreSQL's statistics of the table come from autovacuum, a minute after the
            # commit at the soonest: a statement run right after a large import planned its
            # reads of the period's lines on the table as it was before (its late lines' read
            # took 0.9 s, not 0.2 s). PostgreSQL's advice after a bulk load ("Populating a
            # Database": run ANALYZE afterwards), taken in the transaction, which counts its own
            # lines: the statistics commit or roll back with them.
            self.connection.exec_driver_sql("ANALYZE revenue_line")
        found = [t is not None or lib is not None for t, lib in zip(self.titles, self.libraries)]
        return sum(map(found.__getitem__, lines.codes["identifiers"]))

    @contextmanager
    def _page_cache(self) -> Iterator[None]:
        """SQLite: a page cache that holds the batch's pages while they are written (the 2 MB
        default writes each page to the log again and again once the batch outgrows it), set
        back afterwards on this pooled connection. It grows only as pages are used."""
        if self.connection.dialect.name != "sqlite":
            yield
            return
        before = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
        self.connection.exec_driver_sql(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")

    def _rows(self, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        lines, size = self.lines, stop - start

        def column(name: str, stored: list[Any]) -> Iterable[Any]:
            codes = lines.codes[name]
            return map(stored.__getitem__, codes[start:stop]) if codes else repeat(stored[0], size)

        def amounts(values: Any) -> Iterable[Any]:
            return values[start:stop] if values else repeat(0, size)

        periods = lines.codes["periods"][start:stop]
        identifiers = lines.codes["identifiers"][start:stop]
        titles = list(map(self.titles.__getitem__, identifiers))
        episodes: Iterable[Any] = repeat(None, size)
        if lines.codes["episodes"]:
            numbers = map(lines.values["episodes"].values.__getitem__, lines.codes["episodes"][start:stop])
            episodes = [self.episodes.get((t, n)) for t, n in zip(titles, numbers)]  # type: ignore[arg-type]
        units: Iterable[Any] = repeat(None, size)
        if lines.units:
            units = [None if u == NO_UNITS else u for u in lines.units[start:stop]]
        return zip(repeat(self.batch_id, size), lines.rows[start:stop], map(self.starts.__getitem__, periods),
                   map(self.ends.__getitem__, periods), column("territories", self.territories),
                   column("media", self.media), column("revenue_types", self.types),
                   map(self.reported.__getitem__, identifiers), titles, episodes,
                   map(self.libraries.__getitem__, identifiers), units, lines.gross[start:stop],
                   amounts(lines.fees), amounts(lines.taxes), column("currencies", self.currencies))


class Matcher:
    """Finds the title (and episode, or library) a report's identifier means: a remembered alias
    first, then our internal ID, EIDR, original or localized name, or library code.

    Each kind of identifier is one dictionary, loaded once per import (one query each), and each
    distinct identifier of a report is matched once: a month of a large catalogue is a million
    lines, of some tens of thousands of identifiers."""

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
                self.eidrs[normalise_eidr(eidr)] = title_id
            self.names[name] = title_id
        self.localized = dict(session.execute(select(TitleLocalizedName.name, TitleLocalizedName.title_id)
                                              .order_by(TitleLocalizedName.id.desc())).all())
        self.libraries = dict(session.execute(select(Library.code, Library.id)).all())
        self.session = session

    def match_all(self, identifiers: list[tuple[str, str]]) -> tuple[list[int | None], list[int | None]]:
        """For each (identifier, kind of revenue.IDENTIFIERS): its title, and its library when no
        title (a library code may stand where a title's ID or name does)."""
        titles = [self.title(identifier, kind) for identifier, kind in identifiers]
        libraries = [self.libraries.get(identifier) if title is None and kind in ("library", "title_name", "title_id")
                     else None for (identifier, kind), title in zip(identifiers, titles)]
        return titles, libraries

    def episodes(self, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """(title, episode number) -> episode, for the pairs a report names: a query per 500 titles."""
        titles = sorted({title_id for title_id, _ in wanted})
        found: dict[tuple[int, int], int] = {}
        for start in range(0, len(titles), 500):
            for title_id, number, episode_id in self.session.execute(
                    select(Episode.title_id, Episode.number, Episode.id).where(
                        Episode.title_id.in_(titles[start:start + 500]))):
                if (title_id, number) in wanted:
                    found[title_id, number] = episode_id
        return found

    def title(self, identifier: str, kind: str) -> int | None:
        if identifier in self.aliases:
            return self.aliases[identifier]
        found = None
        if kind in ("title_id", "title_name"):
            found = self.internal_ids.get(identifier)
        if found is None and kind in ("eidr", "title_id"):
            # any written form of an EIDR (md:cid:eidr-s:…, doi:10.5240/…, https://doi.org/10.5240/…)
            found = self.eidrs.get(normalise_eidr(identifier))
        if found is None and kind == "title_name":
            found = self.names.get(identifier) or self.localized.get(identifier)
        return found


def rollback_batch(session: Session, batch_id: int, *, user: str = "") -> None:
    """Take a batch's lines out again; refused while an issued statement uses any of them.
    Draft statements built on it are drafted again without them, and so are the same deals'
    later drafts, which stand on their balances. Takes turns with statement runs (on PostgreSQL
    they write which lines their statements hold without locking each line: a line a run
    names cannot go before the run commits, and the run sees no line that has gone)."""
    take_turns(session, "statement_run")
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"import batch {batch_id} does not exist (rightsdesk revenue batches lists them)")
    if batch.status is BatchStatus.ROLLED_BACK:
        raise UserError(f"batch {batch_id} was already rolled back")
    used = statements_using_batch(batch_id)
    issued = session.scalars(select(Statement.number).where(Statement.id.in_(used),
                                                           Statement.status == StatementStatus.ISSUED)).all()
    if issued:
        raise UserError(f"batch {batch_id} is used by issued {plural_word(len(issued), 'statement')} "
                        f"{', '.join(n or '?' for n in issued)}; "
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
    from rightsdesk.services import statements  # (an import needs it only to replace a batch)

    for deal_id, (_, label) in sorted(redraft.items(), key=lambda item: item[1]):
        statements.run(session, label, user=user or audit.current_user(), deal_ids={deal_id})


# -- what did not match ---------------------------------------------------------------------------


Suggestion = tuple[int, str, str]  # a likely title: (title ID, its internal ID such as T000123, its name)


@dataclass(frozen=True)
class Unmatched:
    """Unmatched lines that share an identifier in one source, with likely titles."""

    source_id: int
    identifier: str
    lines: int
    gross: dict[str, Decimal]  # currency -> total gross of the lines in it
    suggestions: list[Suggestion]


class TitleIndex:
    """Every title's original name, localized names and internal ID, lower-cased once, for
    suggesting titles to an identifier no title matched (rapidfuzz). Build it once and keep it
    while `titles_version` says the same."""

    @staticmethod
    def titles_version(session: Session) -> tuple[Any, ...]:
        """Changes whenever a title or localized name is added, edited or deleted (one cheap
        query): an index built under another version is out of date."""
        return (*session.execute(select(func.count(Title.id), func.max(Title.updated_at), func.sum(Title.version))).one(),
                *session.execute(select(func.count(TitleLocalizedName.id), func.max(TitleLocalizedName.id))).one())

    def __init__(self, session: Session):
        names = list(session.execute(select(Title.id, Title.original_name, Title.internal_id)).all())
        localized = list(session.execute(select(TitleLocalizedName.title_id, TitleLocalizedName.name)).all())
        codes = {title_id: (code, name) for title_id, name, code in names}
        by_text = {name.casefold(): (title_id, code, name) for title_id, name, code in names}
        by_text.update({code.casefold(): (title_id, code, name) for title_id, name, code in names})
        by_text.update({name.casefold(): (title_id, *codes[title_id]) for title_id, name in localized
                        if title_id in codes})
        self.texts = list(by_text)
        self.titles = list(by_text.values())

    def suggest(self, identifiers: list[str], limit: int = 5, chunk: int = 256) -> list[list[Suggestion]]:
        """For each identifier, up to `limit` likely titles (id, internal ID, name), best first; none below a
        similarity of 60 %. Scored a chunk of identifiers at a time against every text, on
        every core (rapidfuzz's cdist), so memory stays at chunk x texts bytes."""
        import numpy  # (loaded when a suggestion is wanted, not with every import)
        from rapidfuzz import fuzz, process

        found: list[list[Suggestion]] = []
        for start in range(0, len(identifiers), chunk):
            queries = [i.casefold() for i in identifiers[start:start + chunk]]
            scores = process.cdist(queries, self.texts, scorer=fuzz.ratio, score_cutoff=60, workers=-1, dtype=numpy.uint8)
            for row in scores:
                best = numpy.argsort(-row.astype(numpy.int16), kind="stable")[:limit * 3]
                found.append(list(dict.fromkeys(self.titles[i] for i in best if row[i]))[:limit])
        return found


def unmatched(session: Session, *, limit_suggestions: int = 5, suggest: bool = True) -> list[Unmatched]:
    """Unmatched lines grouped by source and identifier; with likely titles unless `suggest` is
    False (a screen asks TitleIndex for the groups it shows, off the UI thread)."""
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
    suggestions: list[list[Suggestion]] = [[] for _ in keys]
    if keys and suggest:
        suggestions = TitleIndex(session).suggest([identifier for _, identifier in keys], limit_suggestions)
    return [Unmatched(source_id, identifier, *grouped[(source_id, identifier)], found)
            for (source_id, identifier), found in zip(keys, suggestions)]


@dataclass(frozen=True)
class Assignment:
    """What one assignment set, kept so that it can be undone: the lines it matched and the
    alias it added (None when the identifier had one already or was not remembered)."""

    source_id: int
    identifier: str
    title_id: int
    line_ids: tuple[int, ...]
    alias_id: int | None
    title: str = ""  # as a person names it: "T000042 The Substitute Bride"

    @property
    def lines(self) -> int:
        return len(self.line_ids)


def assign(session: Session, source_id: int, identifier: str, title_id: int, *, remember: bool = True,
           user: str = "") -> int:
    """Match every unmatched line of a source with this identifier to a title; remember the
    identifier as an alias so that later imports match it. Returns the lines assigned."""
    return assign_identifier(session, source_id, identifier, title_id, remember=remember,
                             user=user or audit.current_user()).lines


def assign_identifier(session: Session, source_id: int, identifier: str, title_id: int, *, user: str,
                      remember: bool = True) -> Assignment:
    """`assign`, returning what it set (for `undo_assignment`); written to the title's history.
    NotFound when the title was deleted meanwhile."""
    title = session.get(Title, title_id)
    if title is None:
        raise NotFound("that title no longer exists: choose another")
    found = session.execute(select(RevenueLine.id, RevenueLine.batch_id).join(ImportBatch).where(
        ImportBatch.source_id == source_id, RevenueLine.reported_identifier == identifier,
        RevenueLine.title_id.is_(None), RevenueLine.library_id.is_(None)).order_by(RevenueLine.id)).all()
    ids = [line_id for line_id, _ in found]
    if ids:
        hold_line_by_line(session, title_id, sorted({batch_id for _, batch_id in found}))
        for chunk in _chunks(ids):
            session.execute(RevenueLine.__table__.update().where(RevenueLine.id.in_(chunk)).values(title_id=title_id))
    alias = None
    if remember and not session.scalar(select(TitleAlias.id).where(TitleAlias.source_id == source_id,
                                                                    TitleAlias.alias == identifier)):
        alias = TitleAlias(source_id=source_id, alias=identifier, title_id=title_id)
        session.add(alias)
    session.flush()
    source = _source_name(session, source_id)
    audit.record(session, user=user, action=AuditAction.UPDATE, entity="title", entity_id=title_id,
                 summary=f"{plural(len(ids), 'revenue line')} from {source} reported as “{identifier}” "
                         "assigned to this title",
                 before=None, after={"revenue from": source, "reported as": identifier, "lines": len(ids),
                                     "remembered for later imports": "yes" if alias else "no"})
    return Assignment(source_id, identifier, title_id, tuple(ids), alias.id if alias else None,
                      f"{title.internal_id} {title.original_name}")


def undo_assignment(session: Session, assignment: Assignment, *, user: str) -> int:
    """Take back what an assignment set: its lines that still belong to its title become
    unmatched again and the alias it added is forgotten; written to the title's history.
    Refused (UserError) once a statement uses any of the lines: a statement is corrected by
    an adjustment, not by moving its revenue. Returns the lines unmatched again."""
    ids = list(assignment.line_ids)
    still = [i for chunk in _chunks(ids) for i in session.scalars(select(RevenueLine.id).where(
        RevenueLine.id.in_(chunk), RevenueLine.title_id == assignment.title_id))]
    on_statements = [(number,) for chunk in _chunks(still) for number in session.scalars(
        select(Statement.number).where(Statement.id.in_(statements_holding(chunk))))]
    if on_statements:
        named = ", ".join(sorted({n for (n,) in on_statements if n})) or "a draft"
        raise UserError(f"the lines are already on a statement ({named}): the assignment can no longer be undone. "
                        "Correct it with an adjustment in a later period.")
    for chunk in _chunks(still):
        session.execute(RevenueLine.__table__.update().where(RevenueLine.id.in_(chunk)).values(title_id=None))
    alias = session.get(TitleAlias, assignment.alias_id) if assignment.alias_id is not None else None
    if alias is not None and alias.title_id == assignment.title_id:
        session.delete(alias)
    session.flush()
    if session.get(Title, assignment.title_id) is not None:
        source = _source_name(session, assignment.source_id)
        audit.record(session, user=user, action=AuditAction.UPDATE, entity="title", entity_id=assignment.title_id,
                     summary=f"assignment undone: {plural(len(still), 'revenue line')} from {source} reported as "
                             f"“{assignment.identifier}” unmatched again",
                     before={"revenue from": source, "reported as": assignment.identifier, "lines": len(still)},
                     after=None)
    return len(still)


def _source_name(session: Session, source_id: int) -> str:
    return session.scalar(select(RevenueSource.name).where(RevenueSource.id == source_id)) or "a source"


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK_ROWS):
        yield ids[start:start + CHUNK_ROWS]
