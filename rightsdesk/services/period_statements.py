"""The statements of a period as their documents need them, for the period's export
(reports/batch.py) and its journal (reports/journal.py): their ids in export order, a reader
that a worker process can be given, and the revenue no statement holds.

A reader reads in its own transaction: a statement redrafted during an export fails it with a
"no longer exists" message rather than mixing figures of two runs into one document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import URL

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.models import Statement
from rightsdesk.services import statement_revenue, statements
from rightsdesk.services.statement_documents import StatementDocument, load_documents
from rightsdesk.services.statement_revenue import Unstated

_opened: dict[URL, Database] = {}  # a worker process's own read-only connections, by address


class Reader:
    """Statements read by id, in one transaction per call. Pickled into a worker process, it
    carries the database's address, never a connection: the worker opens its own, read-only,
    once."""

    def __init__(self, database: Database) -> None:
        self.url = database.url
        self._database: Database | None = database

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.url, self._database = state["url"], None

    def __call__(self, ids: list[int]) -> list[StatementDocument]:
        """The statements' documents, in the order of `ids`; NotFound when one no longer exists."""
        database = self._database
        if database is None:
            database = _opened.get(self.url)
            if database is None:
                database = _opened[self.url] = Database(self.url, read_only=True)
        with database.read() as session:
            return load_documents(session, ids)


@dataclass(frozen=True)
class PeriodStatements:
    """What a period's export reads: its statements' ids, how to read them, and (for the
    workbook's "Not on a statement" sheet) how to read what no statement holds, all periods:
    the export reads that in a thread of its own while the workers draw (3-4 s of a core at a
    million lines, which waited before the first statement was read)."""

    label: str
    ids: list[int]
    read: Reader
    unstated: Callable[[], list[Unstated]] | None


def statement_ids(database: Database, label: str) -> list[int]:
    """The ids of the period's statements, in the order they are exported."""
    start, _ = statements.parse_label(label)
    with database.read() as session:
        return list(session.scalars(select(Statement.id).where(Statement.period_start == start).order_by(Statement.id)))


def for_export(database: Database, label: str, *, unstated: bool) -> PeriodStatements:
    """The period's statements to export; `unstated`: also (later) what no statement holds.
    UserError when the period has no statements."""
    ids = statement_ids(database, label)
    if not ids:
        raise UserError(f"there are no statements for {label}; run the period first")
    return PeriodStatements(label, ids, Reader(database), partial(unstated_lines, database) if unstated else None)


def documents(database: Database, label: str) -> list[StatementDocument]:
    """Every statement of the period as its documents need it (all in memory: for a few)."""
    return Reader(database)(statement_ids(database, label))


def journal_documents(database: Database, label: str, *, drafts: bool = False) -> list[StatementDocument]:
    """The statements a period's journal posts: the issued ones, and the drafts when asked.
    UserError when there are none."""
    found = [d for d in documents(database, label) if drafts or not d.is_draft]
    if not found:
        raise UserError(f"no {'' if drafts else 'issued '}statements for {label}"
                        + ("" if drafts else "; issue them first, or include drafts"))
    return found


def unstated_lines(database: Database) -> list[Unstated]:
    """What no statement holds (all periods): the workbook's "Not on a statement" sheet."""
    with database.read() as session:
        return statement_revenue.reconcile(session).lines
