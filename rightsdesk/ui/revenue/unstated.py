"""Revenue > Not on a statement: every imported line, or the part of one, that no statement
holds, with why; and per currency the proof that nothing went missing on the way
(imported = on statements + listed; DOMAIN.md, "No line is ever on no statement unseen").

The whole reconciliation reads every imported line, so it runs in a process of its own (its
Python would take the interpreter lock from the window's thread), and only while
the Revenue screen is in front: a change made elsewhere (a statement run) marks it stale (the
Revenue screen follows FOLLOWS for it), and it is checked again when the screen is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta
from decimal import Decimal
from multiprocessing import get_context
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rightsdesk.persistence.database import Database
from rightsdesk.services.listing import ListQuery
from rightsdesk.services.revenue_screen import lines_of, reconcile_at
from rightsdesk.services.statement_revenue import Reconciliation, Unstated, reconcile
from rightsdesk.ui.formatting import money
from rightsdesk.ui.operations import Quiet
from rightsdesk.ui.table import Column, LazyTableModel, RecordList

ZERO = Decimal(0)
_checking: ProcessPoolExecutor | None = None


def checking_process() -> ProcessPoolExecutor:
    """The process that checks what is on no statement, started with the first check and kept
    (starting one takes a second or two). A thread would hold the interpreter lock for most of
    a check's seconds of Python, and the window would stall waiting for it."""
    global _checking
    if _checking is None:
        _checking = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    return _checking


def forget_checking_process() -> None:
    global _checking
    _checking = None
EMPTY = "Every imported line is on a statement."
CHECKING = "Checking which imported lines are on a statement…"
NO_TITLE = "no title matched"


def period_text(line: Unstated) -> str:
    """A whole month, quarter, half or year as accountants write it (2026-07, 2026-Q3, 2026-H2,
    2026); any other span by its two days."""
    start, end = line.period_start, line.period_end
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and end >= start:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return f"{start:%Y-%m}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{start.month // 3 + 1}"
        if months == 6 and start.month in (1, 7):
            return f"{start.year}-H{start.month // 6 + 1}"
        if months == 12 and start.month == 1:
            return str(start.year)
    return f"{start} to {end}"


def period_days(line: Unstated) -> str:
    return f"{line.period_start} to {line.period_end}"


COLUMNS: tuple[Column[Unstated], ...] = (
    Column("line", "Line", lambda u: u.line_id, numeric=True),
    Column("source", "Source", lambda u: u.source),
    Column("identifier", "Reported as", lambda u: u.identifier),
    Column("period", "Period", period_text, tooltip=period_days),
    Column("territory", "Territory", lambda u: u.territory),
    Column("amount", "Amount", lambda u: money(u.amount, u.currency), numeric=True),
    Column("reason", "Reason", lambda u: u.reason, tooltip=lambda u: u.reason),
)
SORT_KEYS: dict[str, Callable[[Unstated], Any]] = {
    "line": lambda u: u.line_id,
    "source": lambda u: (u.source.casefold(), u.line_id),
    "identifier": lambda u: (u.identifier.casefold(), u.line_id),
    "period": lambda u: (u.period_start, u.period_end, u.line_id),
    "territory": lambda u: (u.territory, u.line_id),
    "amount": lambda u: (u.currency, u.amount, u.line_id),  # amounts compare within a currency
    "reason": lambda u: (u.reason.casefold(), u.line_id),
}


def by_id(lines: Iterable[Unstated]) -> dict[int, Unstated]:
    return {line.line_id: line for line in lines}


def find(lines: dict[int, Unstated], query: ListQuery) -> list[int]:
    """The ids of the lines holding every word of the query's text, in its order."""
    words = query.text.casefold().split()
    found = [line for line in lines.values() if all(word in _searched(line) for word in words)]
    found.sort(key=SORT_KEYS.get(query.sort, SORT_KEYS["line"]), reverse=query.descending)
    return [line.line_id for line in found]


def _searched(line: Unstated) -> str:
    return " ".join((str(line.line_id), line.source, line.identifier, period_text(line), period_days(line),
                     line.territory, line.currency, money(line.amount, line.currency), line.reason)).casefold()


class UnstatedModel(LazyTableModel[Unstated]):
    """The listed lines of one reconciliation, by revenue line ID, filtered and sorted in memory
    (they are already all loaded: the reconciliation had to read them)."""

    def __init__(self, parent: Any = None):
        self.lines: dict[int, Unstated] = {}
        super().__init__(COLUMNS, self._find, self._fetch, parent)

    def set_lines(self, lines: Iterable[Unstated]) -> None:
        self.lines = by_id(lines)
        self.reload()

    def set_found(self, lines: dict[int, Unstated], found: list[int], query: ListQuery) -> None:
        """Show these lines (by_id), `found` (their ids as `find` lists them for `query`, off
        the UI thread: a hundred thousand lines take a while to sort); found again here if the
        list's query changed meanwhile."""
        self.lines = lines
        if query != self.query:
            self.reload()
            return
        self._generation += 1  # (a reload under way is older)
        self._show_ids(found)

    def line(self, line_id: int | None) -> Unstated | None:
        return self.lines.get(line_id) if line_id is not None else None

    def _find(self, query: ListQuery) -> list[int]:
        return find(self.lines, query)

    def _fetch(self, ids: Sequence[int]) -> dict[int, Unstated]:
        return {i: self.lines[i] for i in ids if i in self.lines}



def totals_text(result: Reconciliation) -> str:
    """One line per currency: imported X = on statements Y + listed Z."""
    currencies = sorted(set(result.imported) | set(result.on_statements) | set(result.listed))
    if not currencies:
        return "Nothing imported yet."
    return "\n".join(f"{c}: imported {money(result.imported.get(c, ZERO), c)} = on statements "
                     f"{money(result.on_statements.get(c, ZERO), c)} + listed {money(result.listed.get(c, ZERO), c)}"
                     for c in currencies)


class UnstatedView(QWidget):
    """The list, its filter (Ctrl+F) and the totals that prove it complete."""

    loaded = Signal(int)  # the number of lines listed, once a check has finished
    unmatched_requested = Signal()  # a "no title matched" line was opened: resolve it in Unmatched
    # What a check reads: lines, the statements holding them, and what says why one is on none
    # (its title, the deal and grant that would state it, the deal's terms).
    FOLLOWS = frozenset({"revenue_line", "import_batch", "statement", "statement_revenue", "statement_title_revenue",
                         "statement_line", "title", "library_member", "deal", "grant", "grant_title", "grant_library",
                         "grant_territory", "grant_media", "royalty_terms"})

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.background: Quiet | None = None
        self.stale = True  # nothing checked yet
        self.again = False  # a change arrived during a check: check once more after it
        self.result: Reconciliation | None = None
        self.model = UnstatedModel(self)
        self.list = RecordList("revenue-unstated", self.model, noun="lines", one="line", empty_hint=CHECKING,
                               sort_column=0)
        self.list.activated.connect(self._open)
        self.summary = QLabel(objectName="unstated-summary", wordWrap=True)
        self.summary.setToolTip("Every imported line is on a statement (draft or issued) or listed here, "
                                "to the cent, in its own currency.")
        self.warning = QLabel(objectName="unstated-warning", wordWrap=True)
        self.warning.setStyleSheet("color: #b00020; font-weight: 600;")
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)

    # -- when to check ------------------------------------------------------------------------

    def refresh(self, *, now: bool = False) -> None:
        """Something changed: check again now when shown (or asked), else when next shown."""
        self.stale = True
        if now or self.isVisible():
            self.load()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.load()

    def load(self) -> None:
        if self.running():
            self.again = True
            return
        self.stale = False  # (the figures shown stay until the new ones come)

        database, query = self.database, self.model.query

        def check() -> tuple[Reconciliation, dict[int, Unstated], list[int], ListQuery]:
            result = None
            if database.path is not None or not database.is_sqlite:  # (in memory, no other process sees it)
                try:  # waited for without the interpreter lock
                    result = lines_of(*checking_process().submit(reconcile_at, database.location).result())
                except BrokenProcessPool:  # (the process died: checked here, and another started next time)
                    forget_checking_process()
            if result is None:
                with database.read() as session:
                    result = reconcile(session)
            lines = by_id(result.lines)
            return result, lines, find(lines, query), query

        self.background = Quiet(self, check, self._show)

    def running(self) -> bool:
        return self.background is not None and self.background.running()

    def stop(self) -> None:
        """Wait for a check under way; the screen is about to go."""
        if self.background is not None:
            self.background.wait()

    # -- what it shows ------------------------------------------------------------------------

    def _show(self, checked: tuple[Reconciliation, dict[int, Unstated], list[int], ListQuery]) -> None:
        result, lines, found, query = checked
        self.result = result
        self.list.empty_hint = EMPTY
        keep = self.list.current_id()
        self.model.set_found(lines, found, query)
        if keep is not None:
            self.list.select_id(keep)
        self.list.size_columns()  # to fit the lines in view once shown (over every line, it took seconds)
        self.summary.setText(totals_text(result))
        self.warning.setVisible(not result.balanced)
        if not result.balanced:
            self.warning.setText("These totals do not add up: some revenue is unaccounted for. "
                                 "Please report this as a bug, with the database.")
        self.loaded.emit(len(result.lines))
        if self.again:
            self.again = False
            self.load()


    def _open(self, line_id: int) -> None:
        line = self.model.line(line_id)
        if line is not None and line.reason == NO_TITLE:
            self.unmatched_requested.emit()
