"""What the Revenue screen reads and does, for the window (which neither queries nor writes the
database itself): its lists read in one go, off the UI thread, and its actions as use cases
for services.actions.perform (ui.actions.run, act, act_in_background).

    with database.read() as work:
        shown = revenue_screen.overview(work)      # batches, unmatched groups, sources, rates
    act_in_background(page, "Assigning", database, revenue_screen.assign, source_id, "Brida", "T000042",
                      user=current_user(), on_done=...)

Slow use cases (an import, an assignment over a million lines, a rollback that runs statements
again) take the `report` a background action is given, and may ignore it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain import revenue as rules
from rightsdesk.domain.enums import BatchStatus
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.revenue import Options
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.models import ColumnMapping, ExchangeRate, ImportBatch, RevenueSource
from rightsdesk.services import fx, revenue
from rightsdesk.services.avails import resolve_title
from rightsdesk.services.statement_revenue import Reconciliation, reconcile

Progress = Callable[[str, int], None]
LINES_A_CHUNK = 2000
RATES_SHOWN = 2000  # the latest rates; older ones stay in the database, and in `rightsdesk fx` lists


@dataclass(frozen=True)
class Batch:
    """An imported file as the batches list shows it."""

    id: int
    source: str  # the revenue source's name
    file_name: str
    imported_at: datetime  # UTC
    imported_by: str
    lines: int
    status: BatchStatus


@dataclass(frozen=True)
class Rate:
    """One exchange rate: 1 `base` = `rate` `quote` on `day`."""

    day: date
    base: str
    quote: str
    rate: Decimal
    source: str  # "entered", or the file it was imported from


@dataclass(frozen=True)
class Overview:
    """Everything the Revenue screen lists but Not on a statement (unstated.py reads that)."""

    batches: list[Batch]  # newest first
    unmatched: list[revenue.Unmatched]  # without likely titles: found later, for the rows in view
    source_names: dict[int, str]  # source id -> name
    rates: list[Rate]  # the latest RATES_SHOWN, newest first


def overview(session: Session, *, rates_shown: int = RATES_SHOWN) -> Overview:
    """The screen's lists, read in one unit of work (seconds at a million lines: read it off the
    UI thread)."""
    batches = [Batch(batch.id, source, batch.file_name, batch.imported_at, batch.imported_by, batch.row_count,
                     batch.status)
               for batch, source in session.execute(select(ImportBatch, RevenueSource.name).join(RevenueSource)
                                                    .order_by(ImportBatch.id.desc()))]
    rates = [Rate(r.rate_date, r.base_currency, r.quote_currency, r.rate, r.source)
             for r in session.scalars(select(ExchangeRate).order_by(ExchangeRate.rate_date.desc(),
                                                                    ExchangeRate.base_currency,
                                                                    ExchangeRate.quote_currency).limit(rates_shown))]
    names = dict(session.execute(select(RevenueSource.id, RevenueSource.name)).all())
    return Overview(batches, revenue.unmatched(session, suggest=False), names, rates)


def sources(session: Session) -> list[tuple[int, str]]:
    """Every revenue source as (id, name), by name."""
    return list(session.execute(select(RevenueSource.id, RevenueSource.name).order_by(RevenueSource.name)).all())


def mappings(session: Session, source_id: int | None) -> list[tuple[int, str]]:
    """The mappings saved for a source as (id, name), by name (none for no source)."""
    if source_id is None:
        return []
    return list(session.execute(select(ColumnMapping.id, ColumnMapping.name)
                                .where(ColumnMapping.source_id == source_id).order_by(ColumnMapping.name)).all())


def reconcile_at(location: str) -> tuple[Reconciliation, list[bytes]]:
    """statement_revenue.reconcile over the database at `location` (Database.location), opened
    read-only for this alone: for a process of its own (concurrent.futures), since the check is
    seconds of Python at volume, and a thread running it took the window's interpreter lock
    from the event loop for most of them. Its lines come apart, pickled in chunks
    (lines_of reads them): unpickled at once, a hundred thousand lines held the lock 0.5 s."""
    database = Database(location, read_only=True)
    try:
        with database.read() as work:
            found = reconcile(work)
    finally:
        database.dispose()
    lines, found.lines = found.lines, []
    return found, [pickle.dumps(lines[start:start + LINES_A_CHUNK], pickle.HIGHEST_PROTOCOL)
                   for start in range(0, len(lines), LINES_A_CHUNK)]


def lines_of(found: Reconciliation, chunks: list[bytes]) -> Reconciliation:
    """reconcile_at's result whole again, a chunk at a time."""
    for chunk in chunks:
        found.lines.extend(pickle.loads(chunk))  # (trusted: made by reconcile_at just now)
    return found


# -- actions (use cases for services.actions.perform) -------------------------------------------


def import_report(session: Session, source_id: int, checked: revenue.CheckedFile, *, mapping: dict[str, str],
                  options: Options, save_as: str = "", replace: bool = False, user: str,
                  report: Progress | None = None) -> revenue.ImportReport:
    """Write a checked file as a batch (revenue.import_checked: refused as a DuplicateImport when
    the same bytes were imported before, unless it `replace`s that batch), saving the mapping it
    was read with as `save_as` first when named. All or nothing."""
    if save_as.strip():
        revenue.save_mapping(session, source_id, save_as.strip(), mapping, options)
    return revenue.import_checked(session, source_id, checked, user=user, replace=replace, progress=report)


def assign(session: Session, source_id: int, identifier: str, title: int | str, *, user: str,
           report: Progress | None = None) -> revenue.Assignment:
    """Match a source's unmatched lines reported as `identifier` to a title, given by its id or
    as a person typed it (T000123, or its database number: NotFound when there is none);
    remembered for later imports. What it set is returned, to be undone."""
    title_id = resolve_title(session, title) if isinstance(title, str) else title
    return revenue.assign_identifier(session, source_id, identifier, title_id, user=user)


def undo_assignment(session: Session, assignment: revenue.Assignment, *, user: str,
                    report: Progress | None = None) -> int:
    """revenue.undo_assignment (refused once a statement uses the lines); the lines unmatched again."""
    return revenue.undo_assignment(session, assignment, user=user)


def rollback_batch(session: Session, batch_id: int, *, user: str, report: Progress | None = None) -> None:
    """revenue.rollback_batch: the batch's lines taken out, the drafts on them run again."""
    revenue.rollback_batch(session, batch_id, user=user)


def add_rate(session: Session, written: str) -> None:
    """An exchange rate as a person writes it: date, base, quote and rate, apart by spaces
    (`2026-09-30 THB USD 0.0275`; the rate may have a decimal comma: `5,42`). UserError when
    it does not read so, or fx.save_rate refuses it."""
    parts = written.split()  # (not by commas: a comma may be the rate's decimal comma)
    if len(parts) != 4:
        raise UserError("write the date, the two currencies and the rate, e.g. 2026-09-30 THB USD 0.0275")
    day, base, quote, rate = parts
    try:
        on, amount = rules.parse_day(day), rules.parse_number(rate)
    except ValueError as error:
        raise UserError(f"cannot read that: {error}") from error
    fx.save_rate(session, base, quote, on, amount)
